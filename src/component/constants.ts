import { DEFAULT_HEALTH_PORT, DEFAULT_METRICS_PORT } from "../shared/env-contract";
import { readPackageVersion } from "./package-version";

/** The Pulumi package name: the type token's first part, and the plugin's name for other languages. */
export const PULUMI_PACKAGE_NAME = "dynamodb-source";

export const DYNAMODB_SOURCE_TYPE = `${PULUMI_PACKAGE_NAME}:index:DynamoDBSource`;

/** Version of this package: also the poller image tag and the `app.kubernetes.io/version` label. */
export const PACKAGE_VERSION = readPackageVersion();

export const POLLER_IMAGE_REPOSITORY = "ghcr.io/pulumi-dynamodb-source/dynamodb-source-poller";

/** The poller image released with this version of the component (override with `image`). */
export const DEFAULT_POLLER_IMAGE = `${POLLER_IMAGE_REPOSITORY}:${PACKAGE_VERSION}`;

/** CloudEvents `type` of every event the poller emits. */
export const CLOUDEVENT_TYPE = "com.amazon.dynamodb.stream_record";

export const HEALTH_PORT = DEFAULT_HEALTH_PORT;
export const METRICS_PORT = DEFAULT_METRICS_PORT;

/** UID of the distroless `nonroot` user the image runs as. */
export const POLLER_UID = 65532;

/** Long enough for the poller to finish in-flight deliveries and flush checkpoints after SIGTERM. */
export const TERMINATION_GRACE_PERIOD_SECONDS = 60;

export const DEFAULT_NAMESPACE = "default";
