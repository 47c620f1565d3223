// The routes pages in a real browser against the test stack: a wall photo from testdata/holds
// uploaded through the page (presigned PUT), the detection followed to its end, the holds drawn
// over the photo, corrections that persist (checked after a reload and through the API): a hold
// tapped out of the route, a colour chosen, a start set from the keyboard, a hold deleted, one
// added by a tap; name, grade and angle; the list; deleting the route. Scanned by axe-core and
// photographed at 390 and 1280 px.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { keyStep } from "../src/routes/editing";
import {
  apiCall,
  expectAccessible,
  launch,
  newContext,
  repoRoot,
  sampleVideo,
  screenshot,
  stackControl,
  uniqueName,
} from "./harness";

const wallPhoto = join(repoRoot, "testdata/holds/wall-example-2.jpg");
const password = "climbhard1";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface ApiHold {
  id: string;
  centre: { x: number; y: number };
  bbox: { x: number; y: number; width: number; height: number };
  colour: string;
  selected: boolean;
  role: string | null;
  origin: string;
}
interface ApiRoute {
  id: string;
  status: string;
  name: string | null;
  grade: string | null;
  grade_system: string | null;
  wall_angle_deg: number | null;
  hold_count: number;
  image_width: number;
  image_height: number;
  holds: ApiHold[];
}

/** A new climber (through the API) signed in in a new browser page. */
async function signedIn(locale = "fr-FR", prefix = "routes_") {
  const username = uniqueName(prefix);
  const email = `${username}@example.com`;
  const reg = await apiCall<{ access_token: string; user: { id: string } }>("POST", "/v1/auth/register", {
    username,
    email,
    password,
    language: locale.startsWith("fr") ? "fr" : "en",
  });
  expect(reg.status).toBe(201);
  const ctx = await newContext(browser, locale);
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.locator("input[name=email]").fill(email);
  await page.locator("input[name=password]").fill(password);
  await page.locator("form button[type=submit]").click();
  await page.waitForURL(/\/upload/);
  return { page, token: reg.json.access_token, userId: reg.json.user.id, close: () => ctx.close() };
}

async function routeOf(token: string, id: string): Promise<ApiRoute> {
  const r = await apiCall<ApiRoute>("GET", `/v1/routes/${id}`, undefined, token);
  expect(r.status).toBe(200);
  return r.json;
}

/** The id of a hold whose polygon is what a tap at its box's centre hits, with that point. */
async function tappableHold(page: Page, skip: string[] = []) {
  return page.evaluate((avoid) => {
    for (const g of document.querySelectorAll<SVGGElement>(".holds-layer g[data-hold-id]")) {
      const id = g.dataset["holdId"]!;
      if (avoid.includes(id)) continue;
      const poly = g.querySelector("polygon")!;
      const r = poly.getBoundingClientRect();
      if (r.width < 6 || r.height < 6) continue;
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (document.elementFromPoint(x, y) === poly) return { id, x, y };
    }
    return null;
  }, skip);
}

/** A point of the photo on no hold (for adding one). */
async function emptySpot(page: Page) {
  return page.evaluate(() => {
    const svg = document.querySelector<SVGSVGElement>(".holds-layer")!;
    const r = svg.getBoundingClientRect();
    for (let fy = 0.3; fy < 0.9; fy += 0.05)
      for (let fx = 0.2; fx < 0.8; fx += 0.05) {
        const x = r.left + fx * r.width;
        const y = r.top + fy * r.height;
        // Room around it: the added hold must not land on another one.
        const clear = [-12, 0, 12].every((dx) =>
          [-12, 0, 12].every((dy) => document.elementFromPoint(x + dx, y + dy) === svg),
        );
        if (clear) return { x, y };
      }
    return null;
  });
}

/** A ready route of `token`'s account from the wall photo, made through the API. */
async function readyRoute(token: string): Promise<ApiRoute> {
  const up = await apiCall<{ route_id: string; upload_url: string; headers: Record<string, string> }>(
    "POST",
    "/v1/routes/upload-url",
    { filename: "wall.jpg" },
    token,
  );
  expect(up.status).toBe(201);
  const put = await fetch(up.json.upload_url, {
    method: "PUT",
    headers: up.json.headers,
    body: new Uint8Array(readFileSync(wallPhoto)),
  });
  expect(put.status).toBe(200);
  expect((await apiCall("POST", `/v1/routes/${up.json.route_id}/detect`, {}, token)).status).toBe(202);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const r = await routeOf(token, up.json.route_id);
    if (r.status === "ready") return r;
    if (r.status === "failed" || Date.now() > deadline) throw new Error(`the route did not become ready: ${r.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Skeleton-coloured pixels (the overlay's cyan) in the ghost's canvas. */
async function ghostPixels(page: Page) {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>("canvas.ghost-canvas")!;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i]! < 60 && data[i + 1]! > 180 && data[i + 2]! > 200 && data[i + 3]! > 200) n += 1;
    return n;
  });
}

/** Pixels of the ghost's colour (GHOST_RGB, amber, translucent) in the result page's canvas. */
async function ghostColourPixels(page: Page) {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>("canvas.overlay-canvas")!;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i]! > 225 && data[i + 1]! > 140 && data[i + 1]! < 210 && data[i + 2]! < 60 && data[i + 3]! > 100) n += 1;
    return n;
  });
}

/** A premium climber of 178 cm with the wall photo's route, its blue holds selected, its ghost ready. */
async function premiumWithGhost(token: string, userId: string): Promise<ApiRoute> {
  // The tier is set the way ghost_it sets it: straight in the database.
  stackControl("psql", "-q", "-c", `UPDATE users SET subscription_tier = 'premium' WHERE id = '${userId}'`);
  expect((await apiCall("PATCH", "/v1/users/me/profile", { height_cm: 178 }, token)).status).toBe(200);
  const route = await readyRoute(token);
  const colour = route.holds.some((h) => h.colour === "blue") ? "blue" : route.holds[0]!.colour;
  expect((await apiCall("POST", `/v1/routes/${route.id}/select`, { colour }, token)).status).toBe(200);
  const asked = await apiCall("POST", `/v1/routes/${route.id}/ghost`, { scale: { wall_height_cm: 450 } }, token);
  expect(asked.status).toBe(202);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const g = await apiCall<{ status: string }>("GET", `/v1/routes/${route.id}/ghost`, undefined, token);
    if (g.status === 200 && g.json.status === "ready") return route;
    if (g.status !== 202 || Date.now() > deadline) throw new Error(`the ghost did not become ready: ${g.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const statusText = (page: Page) => page.locator(".route-photo-card [role=status]").textContent();

describe("the routes pages", () => {
  it("upload a wall photo, follow the detection, correct the holds and keep the corrections", async () => {
    const { page, token, close } = await signedIn();
    try {
      await page.getByRole("link", { name: "Voies", exact: true }).click();
      await page.waitForURL(/\/routes$/);
      await expect.poll(() => page.locator(".card p").last().textContent()).toContain("Aucune voie");
      await expectAccessible(page, "routes (empty)");

      // A HEIC photo is refused here, with a sentence, before anything is sent.
      await page
        .locator("#photo-file")
        .setInputFiles({ name: "IMG_0001.HEIC", mimeType: "image/heic", buffer: Buffer.from("ftypheic") });
      await expect.poll(() => page.locator("#photo-file-problem").textContent()).toContain("exportez la photo en JPEG");
      expect(await page.getByRole("button", { name: "Envoyer et trouver les prises" }).isDisabled()).toBe(true);

      await page.locator("#photo-file").setInputFiles(wallPhoto);
      await screenshot(page, "20-routes-new");
      await page.getByRole("button", { name: "Envoyer et trouver les prises" }).click();
      await page.waitForURL(/\/routes\/[0-9a-f-]{36}$/);
      const routeId = page.url().split("/").pop()!;
      // The detection ends (events or polling) and the page draws every hold the API has.
      await page.locator(".holds-layer polygon").first().waitFor({ timeout: 180_000 });
      const detected = await routeOf(token, routeId);
      expect(detected.status).toBe("ready");
      expect(detected.holds.length).toBeGreaterThan(10);
      expect(await page.locator(".holds-layer polygon").count()).toBe(detected.holds.length);
      expect(
        await page.locator(".route-photo img").evaluate((img: HTMLImageElement) => img.naturalWidth),
      ).toBeGreaterThan(0);
      await expectAccessible(page, "route editor");
      await screenshot(page, "21-route-editor");

      // Tapping a hold (the default tool) puts it in the route or takes it out (detected holds
      // start out of it unless the detector was sure of them); after a reload it still is.
      const tap = await tappableHold(page);
      expect(tap).not.toBeNull();
      const wasSelected = detected.holds.find((h) => h.id === tap!.id)!.selected;
      const now = wasSelected ? "hors de la voie" : "dans la voie";
      await page.mouse.click(tap!.x, tap!.y);
      await expect.poll(() => statusText(page)).toContain(now);
      await page.reload();
      const polygon = (id: string) => page.locator(`g[data-hold-id="${id}"] polygon`);
      await polygon(tap!.id).waitFor();
      expect(await polygon(tap!.id).getAttribute("aria-label")).toContain(now);
      expect((await routeOf(token, routeId)).holds.find((h) => h.id === tap!.id)!.selected).toBe(!wasSelected);

      // Choosing a colour: exactly its holds are in the route.
      const colour = detected.holds.some((h) => h.colour === "blue") ? "blue" : detected.holds[0]!.colour;
      const names: Record<string, string> = { blue: "bleu", green: "vert", red: "rouge", pink: "rose", white: "blanc" };
      await page.getByRole("button", { name: new RegExp(`^${names[colour] ?? colour} \\(\\d+\\)$`) }).click();
      await expect.poll(() => statusText(page)).toContain("choisie");
      for (const h of (await routeOf(token, routeId)).holds) expect(h.selected).toBe(h.colour === colour);

      // The start, set from the keyboard: the tool, then Tab to a hold and Enter.
      await page.getByLabel("en fait un départ (ou plus)").check();
      const startId = detected.holds.find((h) => h.colour === colour)!.id;
      await polygon(startId).focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => statusText(page)).toContain("départ");
      expect((await routeOf(token, routeId)).holds.find((h) => h.id === startId)!.role).toBe("start");
      expect(await page.locator(".hold-role").count()).toBe(1);

      // Deleting a hold.
      await page.getByLabel("la supprime (ce n'est pas une prise)").check();
      const gone = await tappableHold(page, [startId]);
      await page.mouse.click(gone!.x, gone!.y);
      await expect.poll(() => statusText(page)).toContain("supprimée");
      const afterDelete = await routeOf(token, routeId);
      expect(afterDelete.holds.some((h) => h.id === gone!.id)).toBe(false);

      // Adding one the detection missed, by a tap on the photo, in the chosen colour.
      await page.getByLabel("ajoute une prise oubliée (touchez la photo)").check();
      await page.locator("#add-colour").selectOption("yellow");
      const spot = await emptySpot(page);
      expect(spot).not.toBeNull();
      await page.mouse.click(spot!.x, spot!.y);
      await expect.poll(() => statusText(page)).toContain("ajoutée");
      const afterAdd = await routeOf(token, routeId);
      expect(afterAdd.holds.length).toBe(afterDelete.holds.length + 1);
      const added = afterAdd.holds.find((h) => !afterDelete.holds.some((o) => o.id === h.id))!;
      expect(added.origin).toBe("manual");
      expect(added.colour).toBe("yellow");
      expect(added.selected).toBe(true);

      // Moving that hold from the keyboard (the move tool; Tab to the hold, three presses of the
      // right arrow): one PATCH with its new centre once the keys pause, the hold redrawn there.
      await page.getByLabel("la déplace ou la redimensionne (faites-la glisser, ou sa poignée)").check();
      const patches: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "PATCH" && r.url().endsWith(`/holds/${added.id}`)) patches.push(r.postData() ?? "");
      });
      const step = keyStep(detected.image_width, detected.image_height, false);
      const firstPoint = async () =>
        (await polygon(added.id).getAttribute("points"))!.split(" ")[0]!.split(",").map(Number) as [number, number];
      const [x0, y0] = await firstPoint();
      await polygon(added.id).focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
      await expect.poll(() => statusText(page)).toContain("Déplacée");
      expect(patches.length).toBe(1);
      const sent = JSON.parse(patches[0]!) as { centre: { x: number; y: number } };
      expect(sent.centre.x - added.centre.x).toBeCloseTo(3 * step, 0);
      expect(sent.centre.y - added.centre.y).toBeCloseTo(0, 0);
      const moved = (await routeOf(token, routeId)).holds.find((h) => h.id === added.id)!;
      expect(moved.centre.x - added.centre.x).toBeCloseTo(3 * step, 0);
      expect(moved.centre.y).toBeCloseTo(added.centre.y, 0);
      const [x1, y1] = await firstPoint();
      expect([x1 - x0, y1 - y0].map((v) => Math.round(v))).toEqual([3 * step, 0]);
      // "+" makes it larger: the outline is sent, the stored hold's box grows by about 10 %.
      await page.keyboard.press("+");
      await expect.poll(() => patches.length).toBe(2);
      await expect.poll(() => statusText(page)).toContain("Redimensionnée");
      const grown = (await routeOf(token, routeId)).holds.find((h) => h.id === added.id)!;
      expect(grown.bbox.width / moved.bbox.width).toBeCloseTo(1.1, 1);

      // Adding a hold from the keyboard: the add tool, Tab to the photo, the cursor moved with the
      // arrows from the middle, Enter.
      await page.getByLabel("ajoute une prise oubliée (touchez la photo)").check();
      await page.locator(".holds-layer").focus();
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowLeft");
      expect(await page.locator(".add-cursor").count()).toBe(1);
      await page.keyboard.press("Enter");
      await expect.poll(async () => (await routeOf(token, routeId)).holds.length).toBe(afterAdd.holds.length + 1);
      const keyed = (await routeOf(token, routeId)).holds.find((h) => !afterAdd.holds.some((o) => o.id === h.id))!;
      expect(keyed.origin).toBe("manual");
      expect(keyed.centre.x).toBeCloseTo(detected.image_width / 2 - 2 * step, -1);
      expect(keyed.centre.y).toBeCloseTo(detected.image_height / 2, -1);
      await expect.poll(() => page.locator(".holds-layer polygon").count()).toBe(afterAdd.holds.length + 1);

      // Name, grade, angle: a grade that does not exist is a sentence; a right one is stored.
      await page.locator("#route-name").fill("La bleue du fond");
      await page.locator("#route-grade-system").selectOption("fontainebleau");
      await page.locator("#route-grade").fill("9z");
      await page.locator("#route-angle").fill("15");
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await expect
        .poll(() => page.locator("form .notice").textContent())
        .toMatch(/cotation n'existe pas|n'est pas valide/);
      await page.locator("#route-grade").fill("6a+");
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await expect.poll(() => page.locator("form .notice").textContent()).toBe("Enregistré.");
      const named = await routeOf(token, routeId);
      expect([named.name, named.grade, named.grade_system, named.wall_angle_deg]).toEqual([
        "La bleue du fond",
        "6A+", // as the grading system writes it
        "fontainebleau",
        15,
      ]);
      await expect.poll(() => page.locator("h1").textContent()).toBe("La bleue du fond");
      expect(await page.locator("#route-grade").inputValue()).toBe("6A+");

      // On a phone: the photo first, the tools under it, nothing wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await page.locator(".holds-layer polygon").first().waitFor();
      const layout = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        photo: document.querySelector(".route-photo")!.getBoundingClientRect().toJSON() as DOMRect,
        tools: document.getElementById("tools-title")!.getBoundingClientRect().toJSON() as DOMRect,
      }));
      expect(layout.scroll).toBeLessThanOrEqual(390);
      expect(layout.tools.top).toBeGreaterThan(layout.photo.bottom - 1);
      expect(layout.photo.width).toBeGreaterThan(300);
      await expectAccessible(page, "route editor (390 px)");
      await screenshot(page, "phone-route-editor");
      await page.goto("/routes");
      await page.locator(`li[data-route-id="${routeId}"]`).waitFor();
      expect(await page.locator(`li[data-route-id="${routeId}"]`).textContent()).toContain("La bleue du fond");
      await expectAccessible(page, "routes list (390 px)");
      await screenshot(page, "phone-routes");
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, "22-routes-list");

      // Deleting the route, after a confirmation.
      await page.locator(`li[data-route-id="${routeId}"] a`).click();
      await page.locator(".holds-layer polygon").first().waitFor();
      await page.getByRole("button", { name: "Supprimer la voie" }).click();
      await page.getByRole("button", { name: "Oui, supprimer la voie" }).click();
      await page.waitForURL(/\/routes$/);
      expect((await apiCall("GET", `/v1/routes/${routeId}`, undefined, token)).status).toBe(404);
    } finally {
      await close();
    }
  });

  it("tells a freemium climber in a sentence why there is no ghost", async () => {
    const { page, token, close } = await signedIn("fr-FR", "free_");
    try {
      const route = await readyRoute(token);
      // The API's refusal, and the page's sentence for it (never the code).
      const refused = await apiCall<{ error: { code: string } }>("POST", `/v1/routes/${route.id}/ghost`, {}, token);
      expect([refused.status, refused.json.error.code]).toEqual([403, "premium_required"]);
      await page.goto(`/routes/${route.id}`);
      await page.getByRole("link", { name: "Voir le fantôme de la voie" }).click();
      await page.waitForURL(/\/ghost$/);
      await expect
        .poll(() => page.locator(".notice").first().textContent())
        .toBe(
          "Le fantôme fait partie des abonnements Premium et Infinity : votre abonnement gratuit ne le comprend pas.",
        );
      expect(await page.locator("main").textContent()).not.toContain("premium_required");
      await expectAccessible(page, "ghost (freemium)");
      await screenshot(page, "23-ghost-freemium");
    } finally {
      await close();
    }
  });

  it("computes and plays the ghost of a premium climber, and says when it is stale", async () => {
    const { page, token, userId, close } = await signedIn("fr-FR", "ghost_");
    try {
      // The tier is set the way ghost_it sets it: straight in the database.
      stackControl("psql", "-q", "-c", `UPDATE users SET subscription_tier = 'premium' WHERE id = '${userId}'`);
      expect((await apiCall("PATCH", "/v1/users/me/profile", { height_cm: 178 }, token)).status).toBe(200);
      const route = await readyRoute(token);
      const colour = route.holds.some((h) => h.colour === "blue") ? "blue" : route.holds[0]!.colour;
      expect((await apiCall("POST", `/v1/routes/${route.id}/select`, { colour }, token)).status).toBe(200);

      await page.goto(`/routes/${route.id}/ghost`);
      await page.getByRole("button", { name: "Calculer le fantôme" }).waitFor();
      await expectAccessible(page, "ghost (not computed yet)");
      await page.locator("#wall-height").fill("abc");
      await page.getByRole("button", { name: "Calculer le fantôme" }).click();
      await expect.poll(() => page.locator(".notice").first().textContent()).toContain("entre 100 et 5000 cm");
      await page.locator("#wall-height").fill("450");
      await page.getByRole("button", { name: "Calculer le fantôme" }).click();
      // Computing, then the moves and the skeleton over the photo.
      await page.locator(".ghost-moves li").first().waitFor({ timeout: 120_000 });
      const ghost = await apiCall<{ status: string; ghost: { beta: { moves: { start_ms: number }[] } } }>(
        "GET",
        `/v1/routes/${route.id}/ghost`,
        undefined,
        token,
      );
      expect(ghost.status).toBe(200);
      const moves = ghost.json.ghost.beta.moves;
      expect(moves.length).toBeGreaterThan(1);
      expect(await page.locator(".ghost-moves li").count()).toBe(moves.length);
      expect(await page.locator(".ghost-moves li").first().textContent()).toMatch(/(Main|Pied) (gauche|droite?) : /);
      await expect.poll(() => ghostPixels(page)).toBeGreaterThan(50);
      // A move's button seeks the ghost to the move's start.
      const target = moves[Math.min(2, moves.length - 1)]!;
      await page
        .locator(".ghost-moves li button")
        .nth(Math.min(2, moves.length - 1))
        .click();
      await expect
        .poll(async () => Number(await page.locator("canvas.ghost-canvas").getAttribute("data-position")))
        .toBeLessThanOrEqual(target.start_ms);
      expect(
        target.start_ms - Number(await page.locator("canvas.ghost-canvas").getAttribute("data-position")),
      ).toBeLessThan(40);
      expect(await page.locator(".ghost-moves li.current").count()).toBe(1);
      // Playing moves the ghost on.
      const before = Number(await page.locator("canvas.ghost-canvas").getAttribute("data-position"));
      await page.getByRole("button", { name: "Lire" }).click();
      await expect
        .poll(async () => Number(await page.locator("canvas.ghost-canvas").getAttribute("data-position")))
        .toBeGreaterThan(before + 200);
      await page.getByRole("button", { name: "Pause" }).click();
      await expectAccessible(page, "ghost (ready)");
      await screenshot(page, "24-ghost");
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expectAccessible(page, "ghost (390 px)");
      await screenshot(page, "phone-ghost");
      await page.setViewportSize({ width: 1280, height: 900 });

      // The profile changes: the ghost is stale, said so, and computed again on request.
      expect((await apiCall("PATCH", "/v1/users/me/profile", { height_cm: 165 }, token)).status).toBe(200);
      await page.reload();
      await expect.poll(() => page.locator(".notice").first().textContent()).toContain("n'est plus à jour");
      await expectAccessible(page, "ghost (stale)");
      await screenshot(page, "25-ghost-stale");
      await page.getByRole("button", { name: "Recalculer le fantôme" }).click();
      await page.locator(".ghost-moves li").first().waitFor({ timeout: 120_000 });
      expect((await apiCall("GET", `/v1/routes/${route.id}/ghost`, undefined, token)).status).toBe(200);
    } finally {
      await close();
    }
  });

  it("draws the route's ghost beside the climber on the result page, in step with the video, and lists its moves", async () => {
    const { page, token, userId, close } = await signedIn("en-GB", "climb_");
    try {
      const route = await premiumWithGhost(token, userId);
      // The sample clip uploaded through the page and analysed on the route, chosen there (the
      // wall photo is that clip's wall, climber removed: the ghost's coordinates are the video's).
      await page.goto("/upload");
      await page.locator("#route").waitFor();
      expect(await page.locator("#route option").count()).toBe(2); // no route, and this one
      await page.locator("#video-file").setInputFiles(sampleVideo);
      await page.locator("#route").selectOption(route.id);
      await page.getByRole("button", { name: "Upload and analyse" }).click();
      await page.waitForURL(/\/analyses\/[0-9a-f-]{36}$/, { timeout: 60_000 });
      const id = page.url().split("/").pop()!;
      const created = await apiCall<{ route_id: string }>("GET", `/v1/analyses/${id}`, undefined, token);
      expect(created.json.route_id).toBe(route.id);
      const deadline = Date.now() + 600_000;
      for (;;) {
        const a = await apiCall<{ status: string }>("GET", `/v1/analyses/${id}`, undefined, token);
        if (a.json.status === "completed") break;
        if (a.json.status === "failed" || Date.now() > deadline) throw new Error(`analysis ${a.json.status}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const result = await apiCall<{
        ghost: {
          status: string;
          comparison: { moves: { kind: string; video_ms: number }[]; sync: [number, number][] };
        };
      }>("GET", `/v1/analyses/${id}/result`, undefined, token);
      expect(result.json.ghost.status).toBe("compared");
      const { moves, sync } = result.json.ghost.comparison;
      expect(sync.length).toBeGreaterThan(1);

      await page.goto(`/analyses/${id}`);
      await expect.poll(() => page.locator("h1").textContent(), { timeout: 30_000 }).toBe("Analysis result");
      await page.locator("#ghost-title").waitFor();
      await page.locator("video").evaluate(
        (v: HTMLVideoElement) =>
          new Promise<void>((resolve) => {
            if (v.readyState >= 2) resolve();
            else v.addEventListener("loadeddata", () => resolve(), { once: true });
          }),
      );
      // The ghost layer appears once its frames are loaded.
      const ghostLayer = page.getByRole("checkbox", { name: "Route's ghost" });
      await ghostLayer.waitFor();
      expect(await page.locator(".ghost-deviations li").count()).toBe(moves.length);

      // At two moments of the climb, the ghost is drawn at the ghost time the comparison's
      // alignment gives for them (its frame at or before it: 30 fps), not at the video's time.
      const canvas = page.locator("canvas.overlay-canvas");
      const ghostDrawnAt = async (videoMs: number) => {
        await page.evaluate(
          async (s) => {
            const v = document.querySelector("video")!;
            v.pause();
            await new Promise<void>((resolve) => {
              v.addEventListener("seeked", () => resolve(), { once: true });
              v.currentTime = s;
            });
          },
          (videoMs + 8) / 1000,
        );
        await expect
          .poll(async () => Math.abs(Number(await canvas.getAttribute("data-position")) - videoMs))
          .toBeLessThan(40);
        return Number(await canvas.getAttribute("data-ghost-position"));
      };
      const mid = sync[Math.floor(sync.length / 2)]!;
      const later = sync.find((p) => p[1] > mid[1] + 500 && p[0] > mid[0]);
      for (const [videoMs, ghostMs] of later ? [later, mid] : [mid]) {
        expect(Math.abs((await ghostDrawnAt(videoMs)) - ghostMs)).toBeLessThanOrEqual(80);
      }
      await expect.poll(() => ghostColourPixels(page)).toBeGreaterThan(100);
      await expectAccessible(page, "result with the ghost");
      await screenshot(page, "26-result-ghost");

      // The layer toggle, from the keyboard: off, then on again.
      await ghostLayer.focus();
      await page.keyboard.press("Space");
      await expect.poll(() => ghostColourPixels(page)).toBe(0);
      expect(await ghostLayer.isChecked()).toBe(false);
      await page.keyboard.press("Space");
      await expect.poll(() => ghostColourPixels(page)).toBeGreaterThan(100);

      // A compared move's timecode seeks the video to its moment.
      const timed = moves.findIndex((m) => typeof m.video_ms === "number" && m.video_ms > 500);
      expect(timed).toBeGreaterThanOrEqual(0);
      await page.locator(".ghost-deviations li").nth(timed).locator("button").click();
      await expect
        .poll(() => page.locator("video").evaluate((v: HTMLVideoElement) => v.currentTime * 1000))
        .toBeGreaterThanOrEqual(moves[timed]!.video_ms);
      expect(
        (await page.locator("video").evaluate((v: HTMLVideoElement) => v.currentTime * 1000)) - moves[timed]!.video_ms,
      ).toBeLessThan(100);
    } finally {
      await close();
    }
  }, 900_000);
});
