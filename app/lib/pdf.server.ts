// PDF of a saved report: headless Chromium (the system's, driven by playwright-core) loads the
// report page from this very server with the print stylesheet and prints it to A4. Chromium is
// launched per render and closed after it; at most two renders run at once (two cores), and a
// render that has not finished within PDF_TIMEOUT_MS (30 s) is abandoned.
//
// Safety: the page is loaded from this server's own listener (the route passes the load context's
// selfOrigin, never anything from the request), only requests to that origin are allowed, and the
// page must echo a one-time token (RENDER_HEADER) that only this process knows.
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { PermanentError, RetryableError } from "../../core/errors";
import { settings } from "../../core/settings";

export const RENDER_HEADER = "x-observatory-render";
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
const MAX_CONCURRENT = 2;

/** No Chromium to run (permanent, 501): the message says how to enable PDFs. */
export class PdfUnavailableError extends PermanentError {
  override get httpStatus(): number {
    return 501;
  }
}
/** Chromium ran but the render failed or took too long (retryable, 503 with Retry-After). */
export class PdfRenderError extends RetryableError {}

export function chromiumPath(): string {
  return settings().CHROMIUM_PATH.trim() || DEFAULT_CHROMIUM;
}

export function pdfTimeoutMs(): number {
  return settings().PDF_TIMEOUT_MS;
}

function executable(path: string): boolean {
  try {
    const st = fs.statSync(path);
    if (!st.isFile()) return false;
    fs.accessSync(path, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const tokens = new Set<string>();
export const isRenderToken = (t: string): boolean => tokens.has(t);

let running = 0;
const waiting: (() => void)[] = [];

async function slot(deadline: number): Promise<() => void> {
  if (running >= MAX_CONCURRENT) {
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = waiting.indexOf(wake);
        if (i >= 0) waiting.splice(i, 1);
        reject(new PdfRenderError("too many PDF renders at once; try again in a moment"));
      }, Math.max(0, deadline - Date.now()));
      waiting.push(wake);
    });
  }
  running++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    running--;
    waiting.shift()?.();
  };
}

/** Renders `url` (a report page of this server) to an A4 PDF. */
export async function renderReportPdf(url: string, opts: { id: string; timeoutMs?: number } = { id: "" }): Promise<Uint8Array> {
  const exe = chromiumPath();
  if (!executable(exe))
    throw new PdfUnavailableError(
      `PDF export needs Chromium, and there is no executable at ${exe}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable, then try again.`,
    );
  let chromium: typeof import("playwright-core").chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    throw new PdfUnavailableError("PDF export needs the playwright-core package (npm install playwright-core) and Chromium.");
  }
  const timeoutMs = opts.timeoutMs ?? pdfTimeoutMs();
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const release = await slot(deadline);
  const token = randomBytes(18).toString("base64url");
  tokens.add(token);
  let browser: import("playwright-core").Browser | null = null;
  let timer: NodeJS.Timeout | undefined;
  const work = (async () => {
    browser = await chromium.launch({
      executablePath: exe,
      timeout: left(),
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
    });
    const origin = new URL(url).origin;
    // Paper width (A4 minus the @page margins, at 96 dpi) so charts are drawn at the size they print.
    const context = await browser.newContext({ viewport: { width: 680, height: 960 }, extraHTTPHeaders: { [RENDER_HEADER]: token } });
    await context.route("**/*", (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.emulateMedia({ media: "print", colorScheme: "light" });
    const res = await page.goto(url, { waitUntil: "networkidle", timeout: left() });
    if (!res || res.status() !== 200) throw new PdfRenderError(`the report page answered ${res ? res.status() : "nothing"}`);
    if ((await page.locator(`[data-render-check="${token}"]`).count()) !== 1)
      throw new PdfRenderError("the report page did not come from this server's renderer");
    // Charts draw after hydration: wait until every chart frame holds its SVG.
    await page.waitForFunction(
      () => {
        const frames = document.querySelectorAll("figure.chart");
        return [...frames].every((f) => f.querySelector("svg.recharts-surface") !== null);
      },
      undefined,
      { timeout: left() },
    );
    const footer = `<div style="font: 8px system-ui, sans-serif; color: #5b6675; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;"><span>Observatory saved report ${opts.id.replace(/[^0-9a-z]/g, "")}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
    return page.pdf({
      format: "A4",
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: footer,
    });
  })();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PdfRenderError(`rendering the PDF took longer than ${Math.round(timeoutMs / 1000)} s`)), left());
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (e) {
    if (e instanceof PdfRenderError) throw e;
    throw new PdfRenderError(`Chromium could not render the report: ${(e as Error).message.split("\n")[0].slice(0, 300)}`);
  } finally {
    clearTimeout(timer);
    tokens.delete(token);
    work.catch(() => {}); // a timed-out render settles later; its error is already reported
    await (browser as import("playwright-core").Browser | null)?.close().catch(() => {});
    // A launch still in progress at the timeout closes its browser when it finishes.
    void work.then(() => {}, () => {}).finally(() => (browser as import("playwright-core").Browser | null)?.close().catch(() => {}));
    release();
  }
}
