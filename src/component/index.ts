export type {
  AuthArgs,
  BatchArgs,
  CheckpointArgs,
  DeliveryArgs,
  DynamoDBSourceArgs,
  IrsaArgs,
  PodIdentityArgs,
  ResourceRequirementsArgs,
  ServiceAccountArgs,
  SinkArgs,
  SinkRefArgs,
  StaticCredentialsArgs,
  TolerationArgs,
} from "./args";
export {
  CLOUDEVENT_TYPE,
  DEFAULT_POLLER_IMAGE,
  DYNAMODB_SOURCE_TYPE,
  POLLER_IMAGE_REPOSITORY,
} from "./constants";
export { type CloudEventAttributes, DynamoDBSource } from "./dynamodb-source";
export { BackoffPolicy, ContentMode, DataFormat, LogLevel, StartingPosition } from "./enums";
export {
  buildPollerPolicy,
  buildSourceTablePolicy,
  type PolicyDocument,
  type PolicyStatement,
} from "./iam-policy";
