// Entry point of the root Pulumi project (Pulumi.yaml `main`): every stack output below comes from its config.
import { dynamoDbSourceStack } from "./program";

const source = dynamoDbSourceStack();

export const deploymentName = source.deploymentName;
export const serviceAccountName = source.serviceAccountName;
export const policyArn = source.policyArn;
export const checkpointTableName = source.checkpointTableName;
export const roleArn = source.roleArn;
export const sinkUri = source.sinkUri;
