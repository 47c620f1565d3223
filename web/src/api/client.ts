// The HTTP client of the app. The access token lives in memory only; the refresh token is an
// httpOnly cookie (`refresh_token`, path /v1/auth) that this code never sees. A session is
// renewed a minute before the access token expires, when a request gets a 401, and on start-up
// (a reload keeps the climber signed in). Refreshes are serialised across tabs with the Web
// Locks API, because each refresh token is single use and the cookie is shared by all tabs.
import { isObject, num, str } from "./guards";
import type { Tokens, User } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly retryAfterSeconds: number | null = null,
    readonly requestId: string | null = null,
  ) {
    super(`${status} ${code}: ${serverMessage}`);
    this.name = "ApiError";
  }
}

export interface RequestOptions {
  body?: unknown;
  /** Send the access token and, on a 401, refresh once and retry. Default true. */
  auth?: boolean;
  signal?: AbortSignal;
}

export type SessionListener = (user: User | null, reason: "signed_in" | "refreshed" | "signed_out" | "expired") => void;

const RENEW_BEFORE_MS = 60_000;
const MIN_RENEW_DELAY_MS = 5_000;

function readTokens(v: unknown): Tokens | null {
  if (!isObject(v)) return null;
  const access = str(v["access_token"]);
  const expires = num(v["expires_in"]);
  const user = v["user"];
  if (!access || expires === undefined || !isObject(user) || typeof user["id"] !== "string") return null;
  return { access_token: access, expires_in: expires, user_id: String(user["id"]), user: user as unknown as User };
}

export class ApiClient {
  private access: string | null = null;
  private expiresAt = 0;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<SessionListener>();
  user: User | null = null;

  constructor(
    private readonly language: () => string,
    private readonly base = "",
  ) {
    if (typeof document !== "undefined") {
      // Timers are throttled in background tabs: check again when the tab comes back.
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible" && this.access && Date.now() > this.expiresAt - RENEW_BEFORE_MS) {
          void this.refresh();
        }
      });
    }
  }

  get signedIn(): boolean {
    return this.access !== null;
  }

  onSession(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    const first = await this.send(method, path, options, auth);
    if (first.status === 401 && auth && this.access !== null) {
      if (await this.refresh()) return this.parse<T>(await this.send(method, path, options, auth));
      this.endSession("expired");
    }
    return this.parse<T>(first);
  }

  async login(email: string, password: string): Promise<User> {
    const tokens = await this.request<unknown>("POST", "/v1/auth/login", { body: { email, password }, auth: false });
    return this.startSession(tokens, "signed_in");
  }

  async register(username: string, email: string, password: string, language: string): Promise<User> {
    const tokens = await this.request<unknown>("POST", "/v1/auth/register", {
      body: { username, email, password, language },
      auth: false,
    });
    return this.startSession(tokens, "signed_in");
  }

  /** Renews the session from the refresh cookie. False when there is no valid session. */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.withLock(() => this.refreshNow()).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  async logout(): Promise<void> {
    try {
      if (this.access) await this.request<void>("POST", "/v1/auth/logout", { body: {} });
    } catch {
      // Signed out locally whatever the server says; the cookie is cleared by the server.
    }
    this.endSession("signed_out");
  }

  /** Forgets the session without calling the server (account deleted). */
  endSession(reason: "signed_out" | "expired"): void {
    this.access = null;
    this.user = null;
    this.expiresAt = 0;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    for (const l of this.listeners) l(null, reason);
  }

  setUser(user: User): void {
    this.user = user;
    for (const l of this.listeners) l(user, "refreshed");
  }

  private async refreshNow(): Promise<boolean> {
    let res: Response;
    try {
      res = await fetch(this.base + "/v1/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: "{}",
        credentials: "same-origin",
      });
    } catch {
      return false;
    }
    if (!res.ok) return false;
    try {
      this.startSession(await res.json(), this.access ? "refreshed" : "signed_in");
      return true;
    } catch {
      return false;
    }
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    if (!locks) return fn();
    return locks.request("ascension-refresh", fn) as Promise<T>;
  }

  private startSession(body: unknown, reason: "signed_in" | "refreshed"): User {
    const tokens = readTokens(body);
    if (!tokens) throw new ApiError(0, "bad_response", "tokens missing from the answer");
    this.access = tokens.access_token;
    this.user = tokens.user;
    const ttl = Math.max(0, tokens.expires_in * 1000);
    this.expiresAt = Date.now() + ttl;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(
      () => {
        void this.refresh().then((ok) => {
          if (!ok) this.endSession("expired");
        });
      },
      Math.max(MIN_RENEW_DELAY_MS, ttl - RENEW_BEFORE_MS),
    );
    for (const l of this.listeners) l(tokens.user, reason);
    return tokens.user;
  }

  private async send(method: string, path: string, options: RequestOptions, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "Accept-Language": this.language(),
    };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (auth && this.access) headers["Authorization"] = `Bearer ${this.access}`;
    try {
      return await fetch(this.base + path, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        credentials: "same-origin",
        signal: options.signal ?? null,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") throw e;
      throw new ApiError(0, "network", String(e));
    }
  }

  private async parse<T>(res: Response): Promise<T> {
    const requestId = res.headers.get("X-Request-Id");
    if (res.status === 204 || res.status === 304) return undefined as T;
    const text = await res.text();
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    if (res.ok) {
      if (body === undefined) throw new ApiError(res.status, "bad_response", "not JSON", null, requestId);
      return body as T;
    }
    const error = isObject(body) && isObject(body["error"]) ? body["error"] : {};
    const retry = Number(res.headers.get("Retry-After"));
    throw new ApiError(
      res.status,
      str(error["code"]) ?? `http_${res.status}`,
      str(error["message"]) ?? "",
      Number.isFinite(retry) && retry > 0 ? retry : null,
      requestId,
    );
  }
}
