// Follows one job (an analysis, a route's hold detection) until it ends: events pushed over the WebSocket
// (GET /v1/ws, authenticated by the session cookie), with reconnection after a backoff, and
// polling of its HTTP read (GET /v1/analyses/{id}, /v1/routes/{id}) for as long as the socket is not open. Each (re)connection
// re-reads the state over HTTP, since events sent while disconnected are lost.
import { isObject, num, str } from "./guards";
import type { AnalysisStatus, AnalysisSummary } from "./types";

export interface JobProgress<S extends string> {
  status: S;
  progress: number;
  stage: string;
  errorCode?: string;
  /** The socket is open: updates arrive as they happen. */
  live: boolean;
}

export type ProgressState = JobProgress<AnalysisStatus>;

/** The part of the browser's WebSocket used here (a fake in the unit tests). */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  close(): void;
}

export interface WatchOptions {
  analysisId: string;
  /** Reads the analysis over HTTP. */
  fetchAnalysis: () => Promise<AnalysisSummary>;
  openSocket: () => SocketLike;
  onChange: (state: ProgressState) => void;
  /** Called once the analysis is completed or failed (after the last onChange). */
  onDone?: (state: ProgressState) => void;
  pollIntervalMs?: number;
  maxBackoffMs?: number;
}

/** What the HTTP read says of the job. */
export interface JobReading {
  status: string;
  progress?: unknown;
  stage?: unknown;
  error?: { code?: unknown } | null;
}

/** What tells one kind of job from another: its events, its statuses, its id's field. */
interface JobKind<S extends string> {
  idField: string;
  /** Event names: `${prefix}:progress`, then one of the two ends. */
  progressEvent: string;
  doneEvent: string;
  failedEvent: string;
  statuses: ReadonlySet<string>;
  terminal: ReadonlySet<string>;
  initial: S;
  failed: S;
  /** The status while progress events arrive, from their stage. */
  progressStatus: (stage: string | undefined) => S;
}

interface JobWatch<S extends string> {
  id: string;
  read: () => Promise<JobReading>;
  openSocket: () => SocketLike;
  onChange: (state: JobProgress<S>) => void;
  onDone?: ((state: JobProgress<S>) => void) | undefined;
  pollIntervalMs?: number | undefined;
  maxBackoffMs?: number | undefined;
}

const ANALYSIS: JobKind<AnalysisStatus> = {
  idField: "analysis_id",
  progressEvent: "analysis:progress",
  doneEvent: "analysis:completed",
  failedEvent: "analysis:failed",
  statuses: new Set(["pending", "processing", "generating_hints", "completed", "failed"]),
  terminal: new Set(["completed", "failed"]),
  initial: "pending",
  failed: "failed",
  progressStatus: (stage) => (stage === "generating_hints" ? "generating_hints" : "processing"),
};

export type RouteStatus = "awaiting_upload" | "detecting" | "ready" | "failed";

const ROUTE: JobKind<RouteStatus> = {
  idField: "route_id",
  progressEvent: "route:progress",
  doneEvent: "route:detected",
  failedEvent: "route:failed",
  statuses: new Set(["awaiting_upload", "detecting", "ready", "failed"]),
  terminal: new Set(["ready", "failed"]),
  initial: "detecting",
  failed: "failed",
  progressStatus: () => "detecting",
};

export const POLL_INTERVAL_MS = 3000;

/** Starts watching; returns a function that stops everything (socket, timers). */
export function watchAnalysis(o: WatchOptions): () => void {
  return watchJob(ANALYSIS, {
    id: o.analysisId,
    read: o.fetchAnalysis,
    openSocket: o.openSocket,
    onChange: o.onChange,
    onDone: o.onDone,
    pollIntervalMs: o.pollIntervalMs,
    maxBackoffMs: o.maxBackoffMs,
  });
}

export interface RouteWatchOptions {
  routeId: string;
  /** Reads the route over HTTP (GET /v1/routes/{id}). */
  fetchRoute: () => Promise<JobReading>;
  openSocket: () => SocketLike;
  onChange: (state: JobProgress<RouteStatus>) => void;
  onDone?: (state: JobProgress<RouteStatus>) => void;
  pollIntervalMs?: number;
  maxBackoffMs?: number;
}

/** Follows a route's hold detection (route:* events) until it is ready or failed. */
export function watchRoute(o: RouteWatchOptions): () => void {
  return watchJob(ROUTE, {
    id: o.routeId,
    read: o.fetchRoute,
    openSocket: o.openSocket,
    onChange: o.onChange,
    onDone: o.onDone,
    pollIntervalMs: o.pollIntervalMs,
    maxBackoffMs: o.maxBackoffMs,
  });
}

function watchJob<S extends string>(kind: JobKind<S>, o: JobWatch<S>): () => void {
  const pollMs = o.pollIntervalMs ?? POLL_INTERVAL_MS;
  const maxBackoff = o.maxBackoffMs ?? 15_000;
  let state: JobProgress<S> = { status: kind.initial, progress: 0, stage: kind.initial, live: false };
  let stopped = false;
  let socket: SocketLike | null = null;
  let attempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;

  const emit = (next: Partial<JobProgress<S>>) => {
    if (stopped) return;
    state = { ...state, ...next };
    // Progress never goes backwards on screen (a late event after a poll).
    o.onChange(state);
    if (kind.terminal.has(state.status)) finish();
  };

  const finish = () => {
    if (stopped) return;
    const last = state;
    stop();
    o.onDone?.(last);
  };

  const fromSummary = (a: JobReading) => {
    const status = kind.statuses.has(a.status) ? (a.status as S) : state.status;
    const next: Partial<JobProgress<S>> = {
      status,
      progress: typeof a.progress === "number" ? a.progress : state.progress,
      stage: typeof a.stage === "string" && a.stage !== "" ? a.stage : status,
    };
    if (isObject(a.error) && typeof a.error["code"] === "string") next.errorCode = a.error["code"];
    emit(next);
  };

  const read = async () => {
    try {
      fromSummary(await o.read());
    } catch {
      // A failed read is retried by the next poll or reconnection.
    }
  };

  const schedulePoll = () => {
    if (stopped || pollTimer || state.live) return;
    pollTimer = setTimeout(async () => {
      pollTimer = null;
      if (stopped || state.live) return;
      await read();
      schedulePoll();
    }, pollMs);
  };

  const onEvent = (raw: unknown) => {
    if (typeof raw !== "string") return;
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (!isObject(msg) || !isObject(msg["data"])) return;
    const data = msg["data"];
    if (data[kind.idField] !== o.id) return;
    const event = str(msg["event"]);
    if (event === kind.progressEvent) {
      const progress = num(data["progress"]);
      const stage = str(data["stage"]);
      const next: Partial<JobProgress<S>> = { status: kind.progressStatus(stage) };
      if (progress !== undefined) next.progress = Math.max(state.progress, Math.min(100, progress));
      if (stage) next.stage = stage;
      emit(next);
    } else if (event === kind.doneEvent || event === kind.failedEvent) {
      // The HTTP read carries the final status and, on failure, the error code.
      void read().then(() => {
        if (!stopped && event === kind.failedEvent && !kind.terminal.has(state.status)) {
          const code = str(data["error_code"]);
          emit(code ? { status: kind.failed, errorCode: code } : { status: kind.failed });
        }
      });
    }
  };

  const connect = () => {
    if (stopped) return;
    let s: SocketLike;
    try {
      s = o.openSocket();
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      if (stopped || socket !== s) return;
      attempts = 0;
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = null;
      emit({ live: true });
      void read();
    };
    s.onmessage = (ev) => onEvent(ev.data);
    s.onerror = () => {};
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      if (stopped) return;
      emit({ live: false });
      schedulePoll();
      scheduleReconnect();
    };
  };

  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    const delay = Math.min(maxBackoff, 1000 * 2 ** attempts);
    attempts += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  };

  const stop = () => {
    stopped = true;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    if (pollTimer) clearTimeout(pollTimer);
    reconnectTimer = pollTimer = null;
    const s = socket;
    socket = null;
    if (s) {
      s.onclose = null;
      s.onmessage = null;
      try {
        s.close();
      } catch {
        // already closed
      }
    }
  };

  void read().then(() => {
    if (stopped) return;
    connect();
    schedulePoll();
  });
  return stop;
}

/** The WebSocket address of this page's origin (ws: or wss:). */
export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/v1/ws`;
}
