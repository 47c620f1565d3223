// What the browser tests share: the stack's address (from its env file), Debian's chromium
// driven by playwright-core, the accessibility scan, screenshots, and API calls made directly
// (for set-up) from a client address of their own.
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../..");
export const sampleVideo = join(repoRoot, "testdata/example-2.mp4");
export const referenceResult = join(repoRoot, "testdata/example-2-biomechanics.json");

function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read the stack's env file ${path} (is the test stack up?): ${String(e)}`);
  }
  for (const line of text.split("\n")) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!;
    if (v.startsWith("'") && v.endsWith("'")) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
}

const envFile = process.env["ASCENSION_ENV_FILE"];
if (!envFile) throw new Error("ASCENSION_ENV_FILE is not set: run the browser tests through CTest (label browser)");
export const stackEnv = readEnvFile(envFile);
const port = stackEnv["API_PORT"];
if (!port) throw new Error(`no API_PORT in ${envFile}`);
export const baseUrl = `http://127.0.0.1:${port}`;
export const screenshotDir = process.env["WEB_SCREENSHOT_DIR"] ?? join(repoRoot, "build/web-screenshots");
mkdirSync(screenshotDir, { recursive: true });

/** Debian's chromium, headless, with no network of its own and a fresh profile (Playwright's). */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

export async function newContext(browser: Browser, locale = "fr-FR"): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL: baseUrl, locale, viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(30_000);
  return ctx;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** axe-core on the page as it is now: no serious or critical violation of WCAG 2.x A/AA. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length > 0) {
    const detail = bad
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`)
      .join("\n");
    throw new Error(`accessibility violations on ${what}:\n${detail}`);
  }
}

let clientCounter = 0;

/**
 * A JSON call to the API from an address of its own (X-Forwarded-For is believed from loopback
 * in the test stack), so set-up calls never eat the browser's rate-limit budget.
 */
export async function apiCall<T>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: T }> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "X-Forwarded-For": `198.51.100.${(clientCounter++ % 200) + 20}`,
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["Authorization"] = `Bearer ${token}`;
  const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

/** An uploaded video of `token`'s account (upload URL, then the PUT straight to storage). */
export async function uploadVideo(token: string, bytes: Buffer, filename: string): Promise<string> {
  const up = await apiCall<{ video_id: string; upload_url: string; headers: Record<string, string> }>(
    "POST",
    "/v1/videos/upload-url",
    { filename },
    token,
  );
  if (up.status !== 201) throw new Error(`upload-url answered ${up.status}`);
  const put = await fetch(up.json.upload_url, { method: "PUT", headers: up.json.headers, body: new Uint8Array(bytes) });
  if (put.status !== 200) throw new Error(`the presigned PUT answered ${put.status}`);
  return up.json.video_id;
}

/** `./ascension stop|start worker` on the test stack. */
export function stackControl(...args: string[]): void {
  const cli = process.env["ASCENSION_CLI"] ?? join(repoRoot, "ascension");
  execFileSync(cli, args, { stdio: "inherit", env: process.env, timeout: 120_000 });
}

export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(0, 24);
}

export interface ReferenceFrame {
  frame: number;
  timestamp_ms: number;
  landmarks: Record<string, { x: number; y: number }>;
}

export function referenceFrames(): ReferenceFrame[] {
  return (JSON.parse(readFileSync(referenceResult, "utf8")) as { frames: ReferenceFrame[] }).frames;
}
