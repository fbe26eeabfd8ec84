/**
 * Events a warm figure leaves out at its start, so that it times warm code: the delivery side alone delivers this
 * many records untimed, and the poller's warm rate starts once this many events have reached the sink.
 */
export const WARM_UP_EVENTS = 5000;

/** The ideal client's untimed requests: all that its few lines of code need to be warm. */
export const IDEAL_CLIENT_WARM_UP_REQUESTS = 1000;
