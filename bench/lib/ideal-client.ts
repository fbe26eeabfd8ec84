import { Pool } from "undici";
import type { OutgoingMessage } from "../../src/poller/delivery/http-message";

/**
 * The sink limit: an ideal client (one undici keep-alive connection, messages built beforehand, nothing else to
 * do) POSTing `messages` one at a time, as the poller does per shard. Returns requests per second.
 */
export async function postSequentially(url: string, messages: readonly OutgoingMessage[]): Promise<number> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: 1 });
  try {
    const started = performance.now();
    for (const message of messages) {
      const res = await pool.request({
        path: pathname,
        method: "POST",
        headers: message.headers,
        body: message.body,
      });
      await res.body.dump();
      if (res.statusCode >= 300) throw new Error(`sink answered ${res.statusCode}`);
    }
    return messages.length / ((performance.now() - started) / 1000);
  } finally {
    await pool.close();
  }
}
