import { BATCH_GOAL_OF_RAW_READ, BINARY_GOAL_OF_LIMIT, ratioPercent } from "./goals";
import { majorOf } from "./image-node";
import type { BenchResults, DrainRow, Figure } from "./results";
import { MIN_STEAL_FREE_SECONDS, STEAL_FREE_MAX_SHARE } from "./steal-windows";

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString("en-US") : "n/a");
const fig = (f: Figure) => fmt(f.median);
const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;
/** The cell a goal judges (binary's efficiency, batch's share of the raw read) with ratioPercent's precision. */
const goalPct = (row: DrainRow, ratio: number, goal: number, judgedMode: DrainRow["contentMode"]) =>
  row.contentMode === judgedMode ? ratioPercent(ratio, goal) : pct(ratio);
/** A steal-free figure and how many repetitions had one. */
const stealFree = (f: Figure | null, repetitions: number) =>
  f === null ? "too few seconds" : `${fig(f)} (${f.values.length} of ${repetitions})`;

/** The Markdown the README quotes: machine, one table per scenario, the goals with met/missed. */
export function toMarkdown(r: BenchResults): string {
  const { drain, latency, memory, manyShards, slowSink } = r.scenarios;
  const m = r.machine;
  const reps = (n: number) => (n > 1 ? `median of ${n}` : "1 run");
  const lines = [
    `Measured ${r.date.slice(0, 10)} with \`npm run bench${r.mode === "full" ? "" : ` -- --${r.mode}`}\` (${r.mode} mode, ${Math.round(r.durationSeconds)} s) on ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}${majorOf(m.node) === r.method.imageNodeMajor ? " (the image's major)" : ` (**not the image's Node.js ${r.method.imageNodeMajor}**: --this-node)`}; DynamoDB Local and the sink on the same machine; 1-min load average ${m.loadAverage.start} at the start, ${m.loadAverage.end} at the end (other work shares this machine). The poller runs as the image runs it: \`node ${r.method.pollerNodeFlags.join(" ")}\`${imageEnvText(r.method.pollerImageEnv)}.`,
    "",
    `**Drain** — ${fmt(drain.items)} items of ${drain.itemBytes} B from TRIM_HORIZON, ${reps(drain.repetitions)}; raw read limit (GetRecords loop, Limit 1000, with the poller's own client): ${fig(drain.rawRead)} records/s, with the machine's CPU ${fig(drain.rawReadMachineCpuBusyPercent)}% busy (${fig(drain.rawReadMachineCpuPerRecordUs)} µs of the machine's CPU per record, DynamoDB Local's included); the loop's own CPU (the SDK's requests and decoding, DynamoDB Local left out): ${fig(drain.rawReadClientCpuPerRecordUs)} µs/record. The same loop with the SDK's stock client (no Streams-specific GetRecords reader): ${fig(drain.rawReadStockSdk)} records/s, ${fig(drain.rawReadStockSdkClientCpuPerRecordUs)} µs/record. Raw sink limit: the ideal client posts the first ${fmt(r.method.config.drain.sinkLimitItems)} of the drain's events in the row's content mode, sequentially, after an untimed warm-up pass, repeating them for at least ${r.method.config.drain.sinkLimitMinSeconds} s.`,
    "",
    "| mode | poller (events/s) | incl. start-up | raw sink limit | limit = min(read, sink) | efficiency | of raw read | machine CPU busy | sink request: poller / ideal | complete |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...drain.rows.map(
      (row) =>
        `| ${row.contentMode === "batch" ? `batch (BATCH_SIZE ${drain.batchSize})` : row.contentMode} | ${fig(row.poller)} | ${fig(row.pollerEndToEnd)} | ${fig(row.sinkLimit)} | ${fmt(row.limit)} (${row.limitedBy}) | ${goalPct(row, row.efficiency, BINARY_GOAL_OF_LIMIT, "binary")} | ${goalPct(row, row.ofRawRead, BATCH_GOAL_OF_RAW_READ, "batch")} | ${fig(row.machineCpuBusyPercent)}% | ${fig(row.pollerSinkRequestMs)} / ${fmt(row.sinkLimitRequestMs)} ms | ${row.complete ? "yes" : `**NO: ${row.missing} missing**`} |`,
    ),
    "",
    `Where the time goes, per row: the ideal client posts prebuilt messages; the delivery side alone is the poller's deliverer fed the same records already decoded (no DynamoDB Local, no SDK decoding); read then deliver is 1 / (1/raw read + 1/delivery side alone), the rate with no overlap at all between reading and delivering; the poller does both. The poller warm: its rate after the first ${fmt(r.method.warmUpEvents)} events reached the sink, the warm-up the delivery side alone leaves out (the ideal client leaves out its first ${fmt(r.method.idealClientWarmUpRequests)} requests); the goals judge the whole drain. CPU per event is every thread's; the main thread's is the one that runs the JavaScript, the rest V8's GC and compiler workers and libuv's pool. GC pause per event: the time garbage collection paused each one's thread (both run with the image's Node.js flags), part of its CPU. Machine CPU per event: the whole machine's (every process and the kernel) for reading a record (raw read loop) plus delivering its event (delivery side alone, its sink included); at the goal's rate, that many cores are needed however well the two overlap.`,
    "",
    "| mode | ideal client | delivery side alone | read then deliver | poller | poller warm | CPU/event: ideal / delivery alone / poller | main thread's: delivery alone / poller | GC pause/event: delivery alone / poller | machine CPU/event: read + deliver | at the goal's rate |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...drain.rows.map(
      (row) =>
        `| ${row.contentMode === "batch" ? `batch (BATCH_SIZE ${drain.batchSize})` : row.contentMode} | ${fig(row.sinkLimit)} | ${fig(row.deliveryOnly)} (${pct(row.deliveryOnly.median / row.sinkLimit.median)}) | ${fmt(row.serialEstimate)} | ${fig(row.poller)} (${pct(row.poller.median / row.sinkLimit.median)}) | ${row.pollerWarm === null ? "drain too short" : `${fig(row.pollerWarm)} (${pct(row.pollerWarm.median / row.sinkLimit.median)})`} | ${fig(row.sinkLimitClientCpuPerEventUs)} / ${fig(row.deliveryOnlyCpuPerEventUs)} / ${fig(row.pollerCpuPerEventUs)} µs | ${fig(row.deliveryOnlyMainThreadCpuPerEventUs)} / ${fig(row.pollerMainThreadCpuPerEventUs)} µs | ${fig(row.deliveryOnlyGcPausePerEventUs)} / ${fig(row.pollerGcPausePerEventUs)} µs | ${fig(drain.rawReadMachineCpuPerRecordUs)} + ${fig(row.deliveryOnlyMachineCpuPerEventUs)} µs | ${row.goalCpuBudget === null ? "no goal" : `${fmt(row.goalCpuBudget.rate)} events/s: ${row.goalCpuBudget.cores} of ${row.goalCpuBudget.machineCores} cores`} |`,
    ),
    "",
    `Steal: the share of the machine's time the hypervisor gave to other guests, CPU this run did not get (poller: from spawn to the last event). A steal-free half-second window has at most ${STEAL_FREE_MAX_SHARE * 100}% of it. Over those windows only (a repetition with fewer than ${MIN_STEAL_FREE_SECONDS} s of them is left out), each side runs as it does while the machine is its own; the raw read loop had ${fig(drain.rawReadStealPercent)}% steal and ${drain.rawReadStealFree === null ? "too few steal-free seconds" : `${fig(drain.rawReadStealFree)} records/s in its steal-free seconds`}. A diagnostic: the goals judge the whole drain.`,
    "",
    "| mode | steal: poller drains / ideal client | poller in steal-free seconds | ideal client in steal-free seconds | efficiency in steal-free seconds |",
    "|---|---:|---:|---:|---:|",
    ...drain.rows.map(
      (row) =>
        `| ${row.contentMode === "batch" ? `batch (BATCH_SIZE ${drain.batchSize})` : row.contentMode} | ${fig(row.pollerStealPercent)}% / ${fig(row.sinkLimitStealPercent)}% | ${stealFree(row.pollerStealFree, drain.repetitions)} | ${stealFree(row.sinkLimitStealFree, drain.repetitions)} | ${row.stealFreeEfficiency === null ? "n/a" : pct(row.stealFreeEfficiency)} |`,
    ),
    "",
    `**Latency** — write → sink, ${latency.rows[0]?.writesPerSecond ?? 0} writes/s for ${latency.rows[0]?.seconds ?? 0} s, one shard.`,
    "",
    "| POLL_INTERVAL | p50 | p90 | p99 | max | idle GetRecords/shard/s | sink request (mean) | events |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...latency.rows.map(
      (row) =>
        `| ${row.pollIntervalMs} ms | ${fig(row.p50)} ms | ${fig(row.p90)} ms | ${fig(row.p99)} ms | ${fig(row.max)} ms | ${fig(row.idleGetRecordsPerShardPerSecond)} | ${fig(row.sinkRequestMeanMs)} ms | ${fmt(row.events)}${row.complete ? "" : ` (**${row.missing} missing**)`} |`,
    ),
    "",
    `**Memory** — poller RSS while draining a ${fmt(memory.backlog)}-item backlog into a sink that takes ${memory.sinkDelayMs} ms per request, sampled every 200 ms for ${memory.windowSeconds} s after the first event (${fmt(memory.deliveredInWindow.median)} events delivered, the rest still unread).`,
    "",
    "| peak RSS | first half (warm-up) | second half (steady) | steady: 3rd → last quarter | flat | records held (max / bound) | V8 heap used at end | major-GC drops in window |",
    "|---:|---:|---:|---:|---|---:|---:|---:|",
    `| ${fig(memory.peakRssMb)} MB | ${fig(memory.firstHalfRssMb)} MB | ${fig(memory.steadyRssMb)} MB | ${fig(memory.steadyStartRssMb)} → ${fig(memory.steadyEndRssMb)} MB | ${memory.flat === null ? "not judged" : memory.flat ? "yes" : "no"} (margin ${memory.flatMarginMb} MB) | ${fmt(memory.heldRecordsMax)} / ${fmt(memory.heldRecordsBound)} | ${fig(memory.heapUsedAtEndMb)} MB | ${fig(memory.gcDropsInWindow)} |`,
    "",
    `**Many shards** — fake stream, ${fmt(manyShards.shards)} shards (${fmt(manyShards.parents)} closed parents, each with an open child), ${manyShards.recordsPerShard} records each, in process.`,
    "",
    "| all shards reading after | all records delivered after | DescribeStream calls | DescribeStream/s (avg / peak) | stalled shards |",
    "|---:|---:|---:|---:|---:|",
    `| ${fig(manyShards.allShardsStartedSeconds)} s | ${fig(manyShards.allRecordsDeliveredSeconds)} s | ${fig(manyShards.describeStreamCalls)} | ${fig(manyShards.describeStreamPerSecondAverage)} / ${fig(manyShards.describeStreamPerSecondPeak)} | ${manyShards.stalledShards} |`,
    "",
    `**Lanes and batch mode** — ${fmt(slowSink.items)} distinct items drained from one shard into a sink that takes ${slowSink.sinkDelayMs} ms per request.`,
    "",
    "| setting | events/s | vs. default | complete |",
    "|---|---:|---:|---|",
    ...slowSink.rows.map(
      (row) =>
        `| ${row.setting} | ${fig(row.eventsPerSecond)} | ${row.speedup ?? "—"}× | ${row.complete ? "yes" : "**no**"} |`,
    ),
    "",
    "**Goals**",
    "",
    "| scenario | goal | measured | met |",
    "|---|---|---|---|",
    ...r.goals.map(
      (g) =>
        `| ${g.scenario} | ${g.goal} | ${g.measured} | ${g.met === null ? "not judged" : g.met ? "yes" : "**no**"} |`,
    ),
  ];
  if (r.problems.length > 0) {
    lines.push("", "**Problems in this run** (figures above are not trustworthy):", "");
    for (const p of r.problems) lines.push(`- ${p.split("\n")[0]}`);
  }
  return `${lines.join("\n")}\n`;
}

/** ` with MALLOC_ARENA_MAX=2 …`: the image's runtime environment, as the pollers got it. */
function imageEnvText(env: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return pairs.length === 0 ? "" : ` with \`${pairs.join(" ")}\` (the image's \`ENV\`)`;
}
