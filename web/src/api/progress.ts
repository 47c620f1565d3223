// Follows one analysis until it completes or fails: events pushed over the WebSocket
// (GET /v1/ws, authenticated by the session cookie), with reconnection after a backoff, and
// polling of GET /v1/analyses/{id} for as long as the socket is not open. Each (re)connection
// re-reads the state over HTTP, since events sent while disconnected are lost.
import { isObject, num, str } from "./guards";
import type { AnalysisStatus, AnalysisSummary } from "./types";

export interface ProgressState {
  status: AnalysisStatus;
  progress: number;
  stage: string;
  errorCode?: string;
  /** The socket is open: updates arrive as they happen. */
  live: boolean;
}

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

const TERMINAL: ReadonlySet<string> = new Set(["completed", "failed"]);
const STATUSES: ReadonlySet<string> = new Set(["pending", "processing", "generating_hints", "completed", "failed"]);

export const POLL_INTERVAL_MS = 3000;

/** Starts watching; returns a function that stops everything (socket, timers). */
export function watchAnalysis(o: WatchOptions): () => void {
  const pollMs = o.pollIntervalMs ?? POLL_INTERVAL_MS;
  const maxBackoff = o.maxBackoffMs ?? 15_000;
  let state: ProgressState = { status: "pending", progress: 0, stage: "pending", live: false };
  let stopped = false;
  let socket: SocketLike | null = null;
  let attempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;

  const emit = (next: Partial<ProgressState>) => {
    if (stopped) return;
    state = { ...state, ...next };
    // Progress never goes backwards on screen (a late event after a poll).
    o.onChange(state);
    if (TERMINAL.has(state.status)) finish();
  };

  const finish = () => {
    if (stopped) return;
    const last = state;
    stop();
    o.onDone?.(last);
  };

  const fromSummary = (a: AnalysisSummary) => {
    const status = STATUSES.has(a.status) ? a.status : state.status;
    const next: Partial<ProgressState> = {
      status,
      progress: typeof a.progress === "number" ? a.progress : state.progress,
      stage: typeof a.stage === "string" && a.stage !== "" ? a.stage : status,
    };
    if (a.error && typeof a.error.code === "string") next.errorCode = a.error.code;
    emit(next);
  };

  const read = async () => {
    try {
      fromSummary(await o.fetchAnalysis());
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
    if (data["analysis_id"] !== o.analysisId) return;
    const event = str(msg["event"]);
    if (event === "analysis:progress") {
      const progress = num(data["progress"]);
      const stage = str(data["stage"]);
      const next: Partial<ProgressState> = { status: stage === "generating_hints" ? "generating_hints" : "processing" };
      if (progress !== undefined) next.progress = Math.max(state.progress, Math.min(100, progress));
      if (stage) next.stage = stage;
      emit(next);
    } else if (event === "analysis:completed" || event === "analysis:failed") {
      // The HTTP read carries the final status and, on failure, the error code.
      void read().then(() => {
        if (!stopped && event === "analysis:failed" && !TERMINAL.has(state.status)) {
          const code = str(data["error_code"]);
          emit(code ? { status: "failed", errorCode: code } : { status: "failed" });
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
