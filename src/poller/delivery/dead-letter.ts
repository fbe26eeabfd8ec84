import type { CloudEvent } from "cloudevents";
import { bytesToBase64 } from "../events/attribute-value";
import type { AttemptFailure } from "./attempt";

/** Knative's cap on `knativeerrordata`, in base64 characters. */
export const KNATIVE_ERROR_DATA_MAX = 1024;

/**
 * The event for `DEAD_LETTER_SINK`: the original plus Knative's error extensions, as Knative's dispatcher adds them
 * (`pkg/kncloudevents/attributes/knative_error.go`): `knativeerrordest` = the sink URL, `knativeerrorcode` = the
 * HTTP status (500 when there was no answer: timeout or network error, like Knative), `knativeerrordata` = base64
 * of the response body (or of Knative's "dispatch error: …" text), cut at 1024 characters, omitted when empty.
 */
export function toDeadLetterEvent<T>(
  event: CloudEvent<T>,
  failure: AttemptFailure,
  sinkUrl: string,
): CloudEvent<T> {
  const code = failure.kind === "status" ? failure.status : 500;
  const body =
    failure.kind === "status"
      ? failure.body
      : Buffer.from(`dispatch error: ${failure.kind}: ${failure.message}`);
  const data = bytesToBase64(body).slice(0, KNATIVE_ERROR_DATA_MAX);
  const extensions: Record<string, string | number> = { knativeerrordest: sinkUrl, knativeerrorcode: code };
  if (data.length > 0) extensions.knativeerrordata = data;
  return event.cloneWith(extensions, false) as CloudEvent<T>;
}
