/** How one HTTP attempt to a sink failed. */
export type AttemptFailure =
  | {
      readonly kind: "status";
      readonly status: number;
      /** From `Retry-After`, when the answer had one. */
      readonly retryAfterMs?: number;
      /** The first bytes of the response body (bounded), for `knativeerrordata`. */
      readonly body: Uint8Array;
    }
  | { readonly kind: "timeout"; readonly message: string }
  | { readonly kind: "network"; readonly message: string };

export type AttemptResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly failure: AttemptFailure };

/** Short label for metrics and logs: `5xx`, `429`, `408`, `4xx`, `3xx`, `timeout`, `network`. */
export function failureReason(failure: AttemptFailure): string {
  if (failure.kind !== "status") return failure.kind;
  const { status } = failure;
  if (status === 429 || status === 408) return String(status);
  if (status >= 500) return "5xx";
  if (status >= 400) return "4xx";
  return status >= 300 ? "3xx" : "1xx";
}

/** One line for a log: what the sink said or what went wrong. */
export function describeFailure(failure: AttemptFailure): string {
  return failure.kind === "status" ? `HTTP ${failure.status}` : `${failure.kind}: ${failure.message}`;
}
