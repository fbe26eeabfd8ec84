/** Public API of pulumi-dynamodb-source: the Pulumi component (the poller is shipped as an image and a CLI). */
export * from "./component";
