/**
 * Runs `work` while a request is on the wire and resolves with its result. undici writes a request on a reused
 * keep-alive socket in the event loop's check phase (setImmediate), so work queued here with setImmediate after the
 * request was dispatched runs after the write, in the time the sink takes to answer, instead of delaying the write.
 * Should undici write later than that, the work still runs, only without the overlap.
 */
export function whileSending<T>(work: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(work());
      } catch (error) {
        reject(error);
      }
    });
  });
}
