// A climber's whole journey in a real browser (Debian's chromium, headless) against the test
// stack: register, upload the reference clip, watch the progress, see the skeleton drawn on the
// video, seek with an advice timecode, find the analysis in the history, read the stats, open
// the profile, sign out; errors shown as sentences; every page scanned by axe-core and
// photographed into the build directory.
import { readFileSync } from "node:fs";
import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  baseUrl,
  expectAccessible,
  launch,
  newContext,
  referenceFrames,
  sampleVideo,
  screenshot,
  screenshotDir,
  stackControl,
  uniqueName,
  uploadVideo,
} from "./harness";

let browser: Browser;
const password = "climbhard1";
const climber = { username: uniqueName("web_"), email: "", password };
climber.email = `${climber.username}@example.com`;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Landmarks of the reference result (MediaPipe's own, not ours) found drawn in the canvas. */
async function skeletonAt(page: Page, landmarks: { x: number; y: number }[]) {
  return page.evaluate((points) => {
    const canvas = document.querySelector<HTMLCanvasElement>("canvas.overlay-canvas")!;
    const ctx = canvas.getContext("2d")!;
    const { width, height } = canvas;
    const data = ctx.getImageData(0, 0, width, height).data;
    // The skeleton's colour, rgb(0, 229, 255): opaque, or faded where a landmark is uncertain.
    const isSkeleton = (x: number, y: number) => {
      if (x < 0 || y < 0 || x >= width || y >= height) return false;
      const i = (Math.round(y) * width + Math.round(x)) * 4;
      return data[i]! < 60 && data[i + 1]! > 180 && data[i + 2]! > 200 && data[i + 3]! > 60;
    };
    // Our model and MediaPipe's differ by a few pixels: look within 2.5 % of the width.
    const radius = Math.max(4, Math.round(width * 0.025));
    const near = (p: { x: number; y: number }) => {
      const cx = p.x * width;
      const cy = p.y * height;
      for (let dy = -radius; dy <= radius; dy += 1)
        for (let dx = -radius; dx <= radius; dx += 1)
          if (dx * dx + dy * dy <= radius * radius && isSkeleton(cx + dx, cy + dy)) return true;
      return false;
    };
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque += 1;
    return { found: points.map(near), corners: [isSkeleton(3, 3), isSkeleton(width - 4, 3)], opaque, width, height };
  }, landmarks);
}

/**
 * Pixels of each layer's own marks in the canvas: the angle labels' dark boxes, the centre of
 * mass's opaque magenta dot near `com` (normalised), and magenta anywhere (the trail).
 */
async function marksOf(page: Page, com: { x: number; y: number }) {
  return page.evaluate((c) => {
    const canvas = document.querySelector<HTMLCanvasElement>("canvas.overlay-canvas")!;
    const { width, height } = canvas;
    const data = canvas.getContext("2d")!.getImageData(0, 0, width, height).data;
    const radius = Math.max(12, width * 0.03);
    let angles = 0;
    let com = 0;
    let trail = 0;
    for (let y = 0; y < height; y += 1)
      for (let x = 0; x < width; x += 1) {
        const i = (y * width + x) * 4;
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (r < 40 && g < 40 && b < 50 && a > 120) angles += 1;
        const magenta = r > 200 && g < 110 && b > 160;
        if (magenta && a > 40) trail += 1;
        if (magenta && a > 200 && Math.hypot(x - c.x * width, y - c.y * height) <= radius) com += 1;
      }
    return { angles, com, trail };
  }, com);
}

/** Where the result page's cards are (by their heading's id, `${name}-title`), in page pixels. */
async function boxesOf(page: Page, names: string[]): Promise<Record<string, { x: number; y: number }>> {
  return page.evaluate((ids) => {
    const out: Record<string, { x: number; y: number }> = {};
    for (const id of ids) {
      const card = document.getElementById(`${id}-title`)?.closest("section");
      const r = card?.getBoundingClientRect();
      out[id] = r ? { x: r.left + window.scrollX, y: r.top + window.scrollY } : { x: NaN, y: NaN };
    }
    return out;
  }, names);
}

async function seekAndWait(page: Page, seconds: number) {
  await page.evaluate(async (s) => {
    const v = document.querySelector("video")!;
    v.pause();
    await new Promise<void>((resolve) => {
      v.addEventListener("seeked", () => resolve(), { once: true });
      v.currentTime = s;
    });
  }, seconds);
  // The canvas says which position it drew.
  await page.waitForFunction(
    (ms) =>
      Math.abs(Number(document.querySelector<HTMLCanvasElement>("canvas.overlay-canvas")!.dataset["position"]) - ms) <
      40,
    seconds * 1000,
  );
}

describe("the web client", () => {
  it("serves the app at /, its hashed assets as immutable, and client routes as the app", async () => {
    const index = await fetch(`${baseUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/^text\/html/);
    expect(index.headers.get("cache-control")).toBe("no-cache");
    expect(index.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(baseUrl + script!, { headers: { "Accept-Encoding": "gzip" } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
    const route = await fetch(`${baseUrl}/history?page=2`);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(html);
    expect((await fetch(`${baseUrl}/assets/missing-0000.js`)).status).toBe(404);
    // The API keeps its own 404s.
    const api = await fetch(`${baseUrl}/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("keeps the refresh token in an httpOnly cookie that only this site may use", async () => {
    const name = uniqueName("cookie_");
    const xff = { "X-Forwarded-For": "198.51.100.250" };
    const reg = await fetch(`${baseUrl}/v1/auth/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...xff },
      body: JSON.stringify({ username: name, email: `${name}@example.com`, password }),
    });
    expect(reg.status).toBe(201);
    // getSetCookie() is missing from older Node 18 releases: split the joined header there (no
    // cookie of ours has a comma in it).
    const cookieOf = (r: Response, cookie: string) =>
      (r.headers.getSetCookie?.() ?? (r.headers.get("set-cookie") ?? "").split(/, (?=[A-Za-z_]+=)/)).find((c) =>
        c.startsWith(`${cookie}=`),
      );
    const set = cookieOf(reg, "refresh_token")!;
    expect(set).toMatch(/; Path=\/v1\/auth; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    const first = set.split(";")[0]!;
    const refresh = (cookie: string, origin?: string) =>
      fetch(`${baseUrl}/v1/auth/refresh`, {
        method: "POST",
        headers: { Cookie: cookie, ...xff, ...(origin ? { Origin: origin } : {}) },
      });
    // Another site's page may not spend it.
    expect((await refresh(first, "http://evil.example")).status).toBe(403);
    // This site may: a new access token and a rotated cookie.
    const ok = await refresh(first, baseUrl);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { access_token: string }).access_token).toMatch(/^ey/);
    const second = cookieOf(ok, "refresh_token")!.split(";")[0]!;
    expect(second).not.toBe(first);
    // The first is spent: presenting it again is refused (and revokes the family).
    expect((await refresh(first)).status).toBe(401);
    expect((await refresh(second)).status).toBe(401);
    // No cookie and no body: a clear 422.
    const none = await fetch(`${baseUrl}/v1/auth/refresh`, { method: "POST", headers: xff });
    expect(none.status).toBe(422);
  });

  it("takes a climber from registration to the drawn skeleton, the advice, history, stats and sign-out", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const consoleErrors: string[] = [];
    page.on("pageerror", (e) => consoleErrors.push(String(e)));

    await page.goto("/");
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Connexion");
    await expectAccessible(page, "login");
    await screenshot(page, "01-login");

    await page.getByRole("link", { name: "Créer un compte" }).click();
    await page.waitForURL(/\/register/);
    // Client-side validation speaks French too.
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await expect.poll(() => page.locator(".field-error").first().textContent()).toContain("Le nom d'utilisateur");
    await expectAccessible(page, "register (with errors)");
    await screenshot(page, "02-register");
    await page.getByLabel("Nom d'utilisateur").fill(climber.username);
    await page.getByLabel("E-mail").fill(climber.email);
    await page.getByLabel("Mot de passe").fill(climber.password);
    // What was typed can be shown, and hidden again.
    const reveal = page.getByRole("button", { name: "Afficher", exact: true });
    await reveal.click();
    expect(await page.locator("#register-password").getAttribute("type")).toBe("text");
    expect(await reveal.getAttribute("aria-pressed")).toBe("true");
    await reveal.click();
    expect(await page.locator("#register-password").getAttribute("type")).toBe("password");
    await page.getByRole("button", { name: "Créer le compte" }).click();

    await page.waitForURL(/\/upload/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Analyser une grimpe");
    // A file that is not a video is refused in a sentence before anything is sent.
    await page.locator("#video-file").setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("not a climb\n"),
    });
    await expect
      .poll(() => page.locator("#video-file-problems").textContent())
      .toBe("Ce fichier n'est pas une vidéo. Choisissez un fichier MP4, MOV, WebM ou AVI.");
    expect(await page.getByRole("button", { name: "Envoyer et analyser" }).isDisabled()).toBe(true);
    await expectAccessible(page, "upload (not a video)");
    await page.locator("#video-file").setInputFiles(sampleVideo);
    await expect.poll(() => page.locator(".chosen").textContent()).toContain("Durée : 10,4 s");
    expect(await page.locator("#video-file-problems").count()).toBe(0);
    await expectAccessible(page, "upload");
    await screenshot(page, "03-upload");
    await page.getByRole("button", { name: "Envoyer et analyser" }).click();

    await page.waitForURL(/\/analyses\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    const analysisUrl = page.url();
    const analysisId = analysisUrl.split("/").pop()!;

    // A second tab whose WebSocket is refused follows the same analysis by polling.
    const polling = await ctx.newPage();
    await polling.routeWebSocket(/\/v1\/ws/, (ws) => ws.close());
    await polling.goto(analysisUrl);

    // Live progress with a stage name (unless the worker was faster than this page).
    const title = page.locator("h1");
    await expect.poll(() => title.textContent(), { timeout: 30_000 }).toMatch(/Analyse en cours|Résultat de l'analyse/);
    if ((await title.textContent()) === "Analyse en cours") {
      await expect
        .poll(() => page.locator(".connection").textContent(), { timeout: 15_000 })
        .toBe("Mises à jour en direct.");
      await expect.poll(() => page.locator(".stage").textContent()).toMatch(/analyseur|vidéo|squelette|conseils/);
      await expectAccessible(page, "progress");
      await screenshot(page, "04-progress");
      await expect
        .poll(() => polling.locator(".connection").textContent(), { timeout: 15_000 })
        .toContain("Connexion directe perdue");
    }

    await expect.poll(() => title.textContent(), { timeout: 600_000, interval: 1000 }).toBe("Résultat de l'analyse");
    await expect.poll(() => polling.locator("h1").textContent(), { timeout: 30_000 }).toBe("Résultat de l'analyse");
    await polling.close();

    // The video is there and the canvas draws the result in step with it.
    await page.waitForFunction(() => (document.querySelector("video")?.readyState ?? 0) >= 2, null, {
      timeout: 60_000,
    });
    const reference = referenceFrames();
    const sample = reference[150]!;
    const joints = ["11", "12", "13", "14", "15", "16", "23", "24", "25", "26", "27", "28"];
    const points = joints.map((j) => sample.landmarks[j]!);
    // Only the skeleton layer: the angle labels and the centre of mass could hide a joint.
    for (const name of ["Angles des articulations", "Centre de gravité", "Trajectoire du centre de gravité"]) {
      await page.getByRole("checkbox", { name, exact: true }).uncheck();
    }
    await seekAndWait(page, (sample.timestamp_ms + 8) / 1000);
    const drawn = await skeletonAt(page, points);
    const found = drawn.found.filter(Boolean).length;
    expect(found, `skeleton found at ${found}/12 reference joints: ${JSON.stringify(drawn)}`).toBeGreaterThanOrEqual(
      10,
    );
    expect(drawn.corners).toEqual([false, false]);
    // Switching the skeleton off clears exactly that drawing.
    await page.getByRole("checkbox", { name: "Squelette", exact: true }).uncheck();
    await expect.poll(async () => (await skeletonAt(page, points)).found.filter(Boolean).length).toBe(0);
    for (const name of [
      "Squelette",
      "Angles des articulations",
      "Centre de gravité",
      "Trajectoire du centre de gravité",
    ]) {
      await page.getByRole("checkbox", { name, exact: true }).check();
    }
    await expect
      .poll(async () => (await skeletonAt(page, points)).found.filter(Boolean).length)
      .toBeGreaterThanOrEqual(10);
    // Each other layer draws its own marks, and none once switched off (one layer on at a time).
    const layerNames = {
      skeleton: "Squelette",
      angles: "Angles des articulations",
      com: "Centre de gravité",
      trail: "Trajectoire du centre de gravité",
    } as const;
    for (const name of Object.values(layerNames)) await page.getByRole("checkbox", { name, exact: true }).uncheck();
    const frameCom = await page.evaluate(async (id) => {
      const doc = (await (await fetch(`/v1/analyses/${id}/result`)).json()) as {
        frames: { com?: { x: number; y: number } }[];
      };
      const index = Number(document.querySelector<HTMLCanvasElement>("canvas.overlay-canvas")!.dataset["frame"]);
      return doc.frames[index]?.com ?? null;
    }, analysisId);
    expect(frameCom, "the sample's frame has a centre of mass").not.toBeNull();
    for (const layer of ["angles", "com", "trail"] as const) {
      const box = page.getByRole("checkbox", { name: layerNames[layer], exact: true });
      await box.check();
      await expect
        .poll(async () => (await marksOf(page, frameCom!))[layer], { message: `${layer} layer` })
        .toBeGreaterThan(20);
      await box.uncheck();
      await expect.poll(async () => (await marksOf(page, frameCom!))[layer], { message: `${layer} layer` }).toBe(0);
    }
    for (const name of Object.values(layerNames)) await page.getByRole("checkbox", { name, exact: true }).check();
    // During playback every frame shown is drawn with its own analysed frame: our callback runs
    // after the overlay's for the same presented frame (callbacks run in registration order).
    const gaps = await page.evaluate(async (id) => {
      const doc = (await (await fetch(`/v1/analyses/${id}/result`)).json()) as { frames: { timestamp_ms: number }[] };
      const stamps = doc.frames.map((f) => f.timestamp_ms);
      const v = document.querySelector("video")! as HTMLVideoElement & {
        requestVideoFrameCallback: (cb: (now: number, meta: { mediaTime: number }) => void) => number;
      };
      const canvas = document.querySelector<HTMLCanvasElement>("canvas.overlay-canvas")!;
      await new Promise<void>((resolve) => {
        v.addEventListener("seeked", () => resolve(), { once: true });
        v.currentTime = 2;
      });
      const out: number[] = [];
      await v.play();
      await new Promise<void>((resolve) => {
        const step = (_now: number, meta: { mediaTime: number }) => {
          out.push(Math.abs(stamps[Number(canvas.dataset["frame"])]! - meta.mediaTime * 1000));
          if (out.length >= 30) resolve();
          else v.requestVideoFrameCallback(step);
        };
        v.requestVideoFrameCallback(step);
      });
      v.pause();
      return out;
    }, analysisId);
    expect(gaps).toHaveLength(30);
    expect(Math.max(...gaps), `distance to the drawn frame's stamp (ms): ${gaps.join(" ")}`).toBeLessThanOrEqual(17);
    // The key numbers are text too (measured, or marked uncertain).
    await seekAndWait(page, (sample.timestamp_ms + 8) / 1000);
    await expect.poll(() => page.locator(".now-card table").textContent()).toMatch(/Coude gauche(≈ )?\d+°/);

    // An advice timecode seeks the video to its moment.
    const buttons = page.locator("button.timecode");
    expect(await buttons.count()).toBeGreaterThan(0);
    for (const i of [0, (await buttons.count()) - 1]) {
      const button = buttons.nth(i);
      const ms = Number(await button.getAttribute("data-timestamp-ms"));
      await button.click();
      await expect
        .poll(() => page.evaluate(() => document.querySelector("video")!.currentTime))
        .toBeGreaterThanOrEqual(ms / 1000);
      const t = await page.evaluate(() => document.querySelector("video")!.currentTime);
      expect(t).toBeLessThan(ms / 1000 + 0.05);
    }
    // A click on the speed chart seeks the video to that time; the arrow keys step along it.
    const speedChart = page.locator("#speed-title ~ svg.line-chart");
    const tick = speedChart.locator("text.chart-tick", { hasText: /^4$/ });
    const tickBox = (await tick.boundingBox())!;
    const chartBox = (await speedChart.boundingBox())!;
    await speedChart.click({ position: { x: tickBox.x + tickBox.width / 2 - chartBox.x, y: chartBox.height / 2 } });
    const videoTime = () => page.evaluate(() => document.querySelector("video")!.currentTime);
    await expect.poll(videoTime).toBeGreaterThan(3.9);
    expect(await videoTime()).toBeLessThan(4.1);
    await expect.poll(() => page.locator("#now-title").textContent()).toContain("(0:04.0)");
    await speedChart.press("ArrowRight");
    await expect.poll(videoTime).toBeGreaterThan(4.1);
    expect(await videoTime()).toBeLessThan(4.5);
    await expect.poll(() => page.locator(".scores").textContent()).toMatch(/Efficacité.*sur 100/);
    expect(await page.locator("svg.chart").count()).toBeGreaterThanOrEqual(2);
    await seekAndWait(page, (sample.timestamp_ms + 8) / 1000);
    // On a wide screen the frame's numbers sit under the video, the advice beside it.
    const { video: v, advice, now } = await boxesOf(page, ["video", "advice", "now"]);
    const wide = JSON.stringify({ v, advice, now });
    expect(now!.x, wide).toBeLessThan(advice!.x);
    expect(now!.y, wide).toBeGreaterThan(v!.y);
    expect(advice!.y, wide).toBeLessThan(now!.y);
    await expectAccessible(page, "result");
    await screenshot(page, "05-result");
    // The README's picture: the top of the page, at a size that keeps the file small.
    await page.setViewportSize({ width: 1100, height: 720 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${screenshotDir}/readme-result.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    // History lists it.
    await page.getByRole("link", { name: "Historique" }).click();
    await page.waitForURL(/\/history/);
    const row = page.locator(`tr[data-analysis-id="${analysisId}"]`);
    await expect.poll(() => row.textContent()).toContain("Terminée");
    // The quality the climber chose, not the model's file name.
    expect(await row.textContent()).toContain("Précise");
    await page.getByLabel("Statut").selectOption("failed");
    await expect.poll(() => page.locator(".card").first().textContent()).toContain("Aucune analyse avec ce statut.");
    await page.getByLabel("Statut").selectOption("completed");
    await expect.poll(() => row.count()).toBe(1);
    await expectAccessible(page, "history");
    await screenshot(page, "06-history");

    // Stats render.
    await page.getByRole("link", { name: "Statistiques" }).click();
    await page.waitForURL(/\/stats/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Statistiques");
    await expect.poll(() => page.locator("#totals-title + dl dd").first().textContent()).toBe("1");
    expect(await page.locator("svg.chart").count()).toBe(2);
    // The weekly score chart is the global score (one analysis: its week's score is the average).
    const globalAverage = await page
      .locator("#averages-title + dl > div", { has: page.locator("dt", { hasText: /^Score global$/ }) })
      .locator("dd")
      .first()
      .textContent();
    expect(globalAverage).toMatch(/^\d+,\d$/);
    expect(await page.locator("#weekly-scores-title ~ svg.chart").getAttribute("aria-label")).toMatch(
      new RegExp(`^Score global moyen par semaine\\. Semaine du .+ : score global ${globalAverage} sur 100\\.$`),
    );
    // Analyses are counted in whole numbers on the axis.
    const countTicks = await page.locator("#weekly-title ~ svg.chart .chart-grid text").allTextContents();
    expect(countTicks.length).toBeGreaterThan(1);
    expect(
      countTicks.every((s) => /^\d+$/.test(s)),
      countTicks.join(" "),
    ).toBe(true);
    await expectAccessible(page, "stats");
    await screenshot(page, "07-stats");

    // Profile, and its confirmation dialog.
    await page.getByRole("link", { name: "Profil" }).click();
    await page.waitForURL(/\/profile/);
    await expect.poll(() => page.locator(".details").textContent()).toContain(climber.username);
    await expectAccessible(page, "profile");
    await screenshot(page, "08-profile");
    await page.getByRole("button", { name: "Supprimer mon compte…" }).click();
    await expectAccessible(page, "profile (delete dialog)");
    await screenshot(page, "09-profile-delete");
    await page.getByRole("button", { name: "Annuler" }).click();

    // On a phone (390 px wide, where climbers film): every page reflows without a sideways scroll.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, heading, name] of [
      ["/upload", "Analyser une grimpe", "upload"],
      [`/analyses/${analysisId}`, "Résultat de l'analyse", "result"],
      ["/history", "Historique", "history"],
      ["/stats", "Statistiques", "stats"],
      ["/profile", "Profil", "profile"],
    ] as const) {
      await page.goto(path);
      await expect.poll(() => page.locator("h1").textContent(), { timeout: 30_000 }).toBe(heading);
      if (name === "result") {
        await page.waitForFunction(() => (document.querySelector("video")?.readyState ?? 0) >= 2, null, {
          timeout: 60_000,
        });
        await seekAndWait(page, (sample.timestamp_ms + 8) / 1000);
        // One column in the order a climber wants it: the video, the advice, the scores and
        // charts, the frame's numbers last.
        const order = ["video", "advice", "scores", "path", "speed", "now"];
        const boxes = await boxesOf(page, order);
        const tops = order.map((k) => boxes[k]!.y);
        expect(
          tops.every((y, i) => i === 0 || y > tops[i - 1]!),
          `phone result order ${order.join(" < ")}: ${tops.join(" ")}`,
        ).toBe(true);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} scrolls sideways by ${overflow} px on a phone`).toBeLessThanOrEqual(0);
      await expectAccessible(page, `${name} (phone)`);
      await screenshot(page, `phone-${name}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/profile");
    await expect.poll(() => page.locator("h1").textContent(), { timeout: 30_000 }).toBe("Profil");

    // The interface in English, the result page for the README.
    await page.getByLabel("Langue de l'interface", { exact: true }).selectOption("en");
    await expect.poll(() => page.locator("h1").textContent()).toBe("Profile");
    await page.goto(analysisUrl);
    await expect.poll(() => page.locator("h1").textContent(), { timeout: 30_000 }).toBe("Analysis result");
    await page.waitForFunction(() => (document.querySelector("video")?.readyState ?? 0) >= 2, null, {
      timeout: 60_000,
    });
    await seekAndWait(page, (sample.timestamp_ms + 8) / 1000);
    await expectAccessible(page, "result (English)");
    await screenshot(page, "10-result-en");
    await page.getByLabel("Interface language", { exact: true }).selectOption("fr");

    // A reload keeps the climber signed in (refresh cookie); signing out ends it.
    await page.reload();
    await expect.poll(() => page.locator("h1").textContent(), { timeout: 30_000 }).toBe("Résultat de l'analyse");
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.locator(".notice").first().textContent()).toBe("Vous êtes déconnecté.");
    await page.goto("/history");
    await page.waitForURL(/\/login\?next=%2Fhistory/);
    expect(consoleErrors).toEqual([]);
    await ctx.close();
  }, 600_000); // the whole journey, the analysis included (which its own wait allows 600 s on a loaded machine)

  it("says a wrong password in a sentence, in French and in English", async () => {
    for (const [locale, sentence, button] of [
      ["fr-FR", "E-mail ou mot de passe incorrect.", "Se connecter"],
      ["en-US", "Wrong email or password.", "Sign in"],
    ] as const) {
      const ctx = await newContext(browser, locale);
      const page = await ctx.newPage();
      await page.goto("/login");
      await page.locator("input[name=email]").fill(climber.email);
      await page.locator("input[name=password]").fill("not-the-password");
      await page.getByRole("button", { name: button }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toBe(sentence);
      await expectAccessible(page, `login error (${locale})`);
      await screenshot(page, `11-wrong-password-${locale}`);
      await ctx.close();
    }
  });

  it("says when the monthly quota is used up, in a sentence", async () => {
    const user = { username: uniqueName("quota_"), password };
    const email = `${user.username}@example.com`;
    const reg = await apiCall<{ access_token: string; user: { monthly_quota: number } }>("POST", "/v1/auth/register", {
      ...user,
      email,
      language: "fr",
    });
    expect(reg.status).toBe(201);
    const token = reg.json.access_token;
    const quota = reg.json.user.monthly_quota;
    const bytes = readFileSync(sampleVideo);
    // With the worker stopped, the analyses stay queued and all of them count.
    stackControl("stop", "worker");
    try {
      const queued: string[] = [];
      for (let i = 0; i < quota; i++) {
        const videoId = await uploadVideo(token, bytes, `climb-${i}.mp4`);
        const started = await apiCall<{ id: string }>("POST", "/v1/analyses", { video_id: videoId }, token);
        expect(started.status).toBe(202);
        queued.push(started.json.id);
      }
      const extra = await uploadVideo(token, bytes, "one-too-many.mp4");
      const refused = await apiCall<{ error: { code: string } }>("POST", "/v1/analyses", { video_id: extra }, token);
      const ctx = await newContext(browser);
      const page = await ctx.newPage();
      await page.goto("/login");
      await page.locator("input[name=email]").fill(email);
      await page.locator("input[name=password]").fill(password);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.waitForURL(/\/upload/);
      const sentence = `Vous avez utilisé vos ${quota} analyses de ce mois-ci. Le compteur repart à zéro le 1er du mois prochain.`;
      // The page knows the quota is used up (GET /v1/users/me) and sends nothing.
      await expect.poll(() => page.locator(".notice").first().textContent()).toBe(sentence);
      await page.locator("#video-file").setInputFiles(sampleVideo);
      await expect.poll(() => page.locator(".chosen").textContent()).toContain("Durée");
      expect(await page.getByRole("button", { name: "Envoyer et analyser" }).isDisabled()).toBe(true);
      // The page's sentence is also the API's refusal (mapped by api/errors.ts, unit-tested).
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe("quota_exceeded");
      await expectAccessible(page, "upload (quota reached)");
      await screenshot(page, "12-quota");

      // A queued analysis (the worker is stopped) followed while the WebSocket is refused: the
      // page polls; once the socket is allowed it reconnects and goes live; when the live socket
      // drops it falls back and reconnects again.
      let refuse = true;
      let sockets = 0;
      const routes: WebSocketRoute[] = [];
      await page.routeWebSocket(/\/v1\/ws/, (ws) => {
        sockets += 1;
        if (refuse) ws.close();
        else {
          ws.connectToServer();
          routes.push(ws);
        }
      });
      let reads = 0;
      const watched = queued[0]!;
      page.on("request", (r) => {
        if (r.method() === "GET" && new URL(r.url()).pathname === `/v1/analyses/${watched}`) reads += 1;
      });
      await page.goto(`/analyses/${watched}`);
      await expect.poll(() => page.locator("h1").textContent(), { timeout: 30_000 }).toBe("Analyse en cours");
      const connection = page.locator(".connection");
      await expect.poll(() => connection.textContent()).toContain("Connexion directe perdue");
      await expect.poll(() => reads, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      expect(sockets).toBeGreaterThanOrEqual(1);
      await screenshot(page, "12-progress-polling");
      refuse = false;
      // (A refused socket opens for an instant too: read the text once the real one is there.)
      const liveWith = (n: number) => async () => (routes.length === n ? await connection.textContent() : "");
      await expect.poll(liveWith(1), { timeout: 30_000 }).toBe("Mises à jour en direct.");
      await routes[0]!.close();
      await expect.poll(() => connection.textContent()).toContain("Connexion directe perdue");
      await expect.poll(liveWith(2), { timeout: 15_000 }).toBe("Mises à jour en direct.");
      await expectAccessible(page, "progress (reconnected)");

      // The history a page at a time (the page size kept in the address): every analysis once.
      const size = 4;
      const pages = Math.ceil(quota / size);
      expect(pages, "more analyses than one page holds").toBeGreaterThan(1);
      await page.goto(`/history?per_page=${size}`);
      const rows = page.locator("table.history tbody tr");
      const ids = new Set<string>();
      for (let p = 1; p <= pages; p++) {
        await expect.poll(() => page.locator(".pagination span").textContent()).toMatch(`Page ${p} sur ${pages} `);
        await expect.poll(() => rows.count()).toBe(p < pages ? size : quota - size * (pages - 1));
        for (const id of await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute("data-analysis-id") ?? "")))
          ids.add(id);
        const next = page.getByRole("button", { name: "Page suivante" });
        if (p < pages) {
          await next.click();
          await page.waitForURL(new RegExp(`/history\\?page=${p + 1}&per_page=${size}$`));
        } else expect(await next.isDisabled()).toBe(true);
      }
      expect(ids.size).toBe(quota);
      await expectAccessible(page, "history (last page)");
      await screenshot(page, "13-history-pages");
      // The browser's back button returns to the page before; a larger page size shows them all.
      await page.goBack();
      await expect.poll(() => page.locator(".pagination span").textContent()).toMatch(`Page ${pages - 1} sur`);
      await page.getByLabel("Par page").selectOption("25");
      await page.waitForURL(/\/history\?per_page=25$/);
      await expect.poll(() => rows.count()).toBe(quota);
      expect(await page.locator(".pagination").count()).toBe(0);

      // The password changed from the profile (a wrong current one said in a sentence), then
      // the account deleted after typing its name: signing in with either password fails.
      await page.getByRole("link", { name: "Profil" }).click();
      await page.waitForURL(/\/profile/);
      const newPassword = "climbharder2";
      await page.getByLabel("Mot de passe actuel", { exact: true }).fill("not-the-password");
      await page.getByLabel("Nouveau mot de passe", { exact: true }).fill(newPassword);
      await page.getByLabel("Confirmer le nouveau mot de passe", { exact: true }).fill(newPassword);
      await page.getByRole("button", { name: "Changer le mot de passe" }).click();
      await expect
        .poll(() => page.locator("#password-title ~ .notice").first().textContent())
        .toBe("Le mot de passe actuel est incorrect.");
      await page.getByLabel("Mot de passe actuel", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Changer le mot de passe" }).click();
      await expect
        .poll(() => page.locator("#password-title ~ .notice").first().textContent())
        .toBe("Mot de passe changé.");
      const login = (pw: string) => apiCall("POST", "/v1/auth/login", { email, password: pw });
      // (The page signed in again with the new one before saying so.)
      expect((await login(password)).status).toBe(401);
      await page.getByRole("button", { name: "Supprimer mon compte…" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Nom d'utilisateur").fill(`${user.username}x`);
      await dialog.getByRole("button", { name: "Supprimer définitivement" }).click();
      await expect
        .poll(() => dialog.locator(".notice").textContent())
        .toBe("Le nom saisi ne correspond pas à votre nom d'utilisateur.");
      await dialog.getByLabel("Nom d'utilisateur").fill(user.username);
      await dialog.getByRole("button", { name: "Supprimer définitivement" }).click();
      await page.waitForURL(/\/login/);
      await expect.poll(() => page.locator(".notice").first().textContent()).toBe("Votre compte a été supprimé.");
      expect((await login(newPassword)).status).toBe(401);
      await ctx.close();
    } finally {
      await apiCall("DELETE", "/v1/users/me", undefined, token);
      stackControl("start", "worker");
    }
  });
});
