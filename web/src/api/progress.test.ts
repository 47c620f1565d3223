import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  watchAnalysis,
  watchRoute,
  socketUrl,
  type JobProgress,
  type JobReading,
  type ProgressState,
  type RouteStatus,
  type SocketLike,
} from "./progress";
import type { AnalysisSummary } from "./types";

class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  closed = false;
  open() {
    this.onopen?.({} as Event);
  }
  drop() {
    this.onclose?.({} as CloseEvent);
  }
  message(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  send(event: string, data: Record<string, unknown>) {
    this.message(JSON.stringify({ event, data }));
  }
  close() {
    this.closed = true;
  }
}

function summary(
  status: AnalysisSummary["status"],
  progress: number,
  extra: Partial<AnalysisSummary> = {},
): AnalysisSummary {
  return {
    id: "a1",
    video_id: "v1",
    status,
    progress,
    stage: status,
    model: "heavy",
    hints: null,
    processing_time_ms: null,
    created_at: "2026-01-01T00:00:00Z",
    completed_at: null,
    ...extra,
  };
}

describe("watchAnalysis", () => {
  let server: AnalysisSummary;
  let sockets: FakeSocket[];
  let states: ProgressState[];
  let reads: number;
  let done: ProgressState | null;

  beforeEach(() => {
    vi.useFakeTimers();
    server = summary("pending", 0);
    sockets = [];
    states = [];
    reads = 0;
    done = null;
  });
  afterEach(() => vi.useRealTimers());

  const start = () =>
    watchAnalysis({
      analysisId: "a1",
      fetchAnalysis: async () => {
        reads += 1;
        return server;
      },
      openSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      onChange: (s) => states.push(s),
      onDone: (s) => (done = s),
      pollIntervalMs: 3000,
    });

  it("follows the events while the socket is open, without polling", async () => {
    start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets).toHaveLength(1);
    sockets[0]!.open();
    await vi.advanceTimersByTimeAsync(0);
    const readsWhenOpen = reads;
    sockets[0]!.send("analysis:progress", { analysis_id: "a1", progress: 40, stage: "pose_estimation" });
    sockets[0]!.send("analysis:progress", { analysis_id: "other", progress: 90, stage: "pose_estimation" });
    expect(states.at(-1)).toMatchObject({ status: "processing", progress: 40, stage: "pose_estimation", live: true });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(reads).toBe(readsWhenOpen);

    server = summary("completed", 100);
    sockets[0]!.send("analysis:completed", { analysis_id: "a1", status: "completed" });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toMatchObject({ status: "completed", progress: 100 });
    expect(sockets[0]!.closed).toBe(true);
  });

  it("polls while the socket is down and reconnects with a growing delay", async () => {
    start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.drop();
    expect(states.at(-1)?.live).toBe(false);
    const before = reads;
    server = summary("processing", 30, { stage: "pose_estimation" });
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBe(before + 1);
    expect(states.at(-1)).toMatchObject({ progress: 30, stage: "pose_estimation", live: false });
    // first retry after 1 s (already passed), the next after 2 s
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    await vi.advanceTimersByTimeAsync(1999);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    // Once open again: a resynchronising read, then no more polling.
    sockets[2]!.open();
    await vi.advanceTimersByTimeAsync(0);
    const whenOpen = reads;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reads).toBe(whenOpen);
  });

  it("ends with the failure code read over HTTP", async () => {
    start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.open();
    server = summary("failed", 5, { error: { code: "no_climber_found", message: "No climber" } });
    sockets[0]!.send("analysis:failed", { analysis_id: "a1", status: "failed", error_code: "no_climber_found" });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toMatchObject({ status: "failed", errorCode: "no_climber_found" });
  });

  it("stops at once when the analysis is already finished", async () => {
    server = summary("completed", 100);
    start();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toMatchObject({ status: "completed" });
    expect(sockets).toHaveLength(0);
  });

  it("ignores messages that are not JSON events", async () => {
    start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.open();
    const n = states.length;
    sockets[0]!.message("not json");
    sockets[0]!.message(JSON.stringify({ event: "analysis:progress", data: "x" }));
    sockets[0]!.message(42);
    expect(states).toHaveLength(n);
  });

  it("stops everything when asked", async () => {
    const stop = start();
    await vi.advanceTimersByTimeAsync(0);
    stop();
    sockets[0]!.drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.closed).toBe(true);
  });
});

describe("watchRoute", () => {
  let server: JobReading;
  let sockets: FakeSocket[];
  let states: JobProgress<RouteStatus>[];
  let reads: number;
  let done: JobProgress<RouteStatus> | null;

  beforeEach(() => {
    vi.useFakeTimers();
    server = { status: "detecting", progress: 0, stage: "queued" };
    sockets = [];
    states = [];
    reads = 0;
    done = null;
  });
  afterEach(() => vi.useRealTimers());

  const start = () =>
    watchRoute({
      routeId: "r1",
      fetchRoute: async () => {
        reads += 1;
        return server;
      },
      openSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      onChange: (s) => states.push(s),
      onDone: (s) => (done = s),
      pollIntervalMs: 3000,
    });

  it("follows route events (not analysis events) and ends on route:detected", async () => {
    start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.open();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.send("route:progress", { route_id: "r1", progress: 60, stage: "detecting" });
    sockets[0]!.send("route:progress", { route_id: "r2", progress: 90, stage: "detecting" });
    sockets[0]!.send("analysis:progress", { analysis_id: "r1", progress: 95, stage: "pose_estimation" });
    expect(states.at(-1)).toMatchObject({ status: "detecting", progress: 60, live: true });
    server = { status: "ready", progress: 100, stage: "done" };
    sockets[0]!.send("analysis:completed", { analysis_id: "r1" });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBeNull();
    sockets[0]!.send("route:detected", { route_id: "r1", status: "ready", hold_count: 12 });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toMatchObject({ status: "ready", progress: 100 });
    expect(sockets[0]!.closed).toBe(true);
  });

  it("polls while the socket is refused, and ends failed with the event's code when the read lags", async () => {
    start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.drop();
    const before = reads;
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBeGreaterThan(before);
    expect(states.at(-1)?.live).toBe(false);
    const s = sockets.at(-1)!;
    s.open();
    await vi.advanceTimersByTimeAsync(0);
    s.send("route:failed", { route_id: "r1", status: "failed", error_code: "corrupt_image" });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toMatchObject({ status: "failed", errorCode: "corrupt_image" });
  });

  it("ignores a status it does not know", async () => {
    server = { status: "exploded", progress: 10 };
    start();
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)?.status).toBe("detecting");
    expect(done).toBeNull();
  });
});

describe("socketUrl", () => {
  it("follows the page's scheme", () => {
    expect(socketUrl({ protocol: "http:", host: "127.0.0.1:8080" })).toBe("ws://127.0.0.1:8080/v1/ws");
    expect(socketUrl({ protocol: "https:", host: "ascension.example" })).toBe("wss://ascension.example/v1/ws");
  });
});
