// Opens a player page in Debian's chromium (headless, through playwright-core) and reports
// as one JSON line whether video.currentTime advanced by at least MIN seconds with no
// fatal player error. Usage: node play.js PAGE_URL MIN_SECONDS TIMEOUT_SECONDS
const { chromium } = require("playwright-core");

const [url, minSeconds, timeoutSeconds] = process.argv.slice(2);
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--autoplay-policy=no-user-gesture-required"];

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ARGS });
  const result = { start: null, end: null, fatal: null, errors: [], manifest: false, frag: 0 };
  try {
    const page = await browser.newPage();
    page.on("console", (m) => { if (m.type() === "error") result.errors.push(m.text()); });
    await page.goto(url);
    const deadline = Date.now() + Number(timeoutSeconds) * 1000;
    while (Date.now() < deadline) {
      const s = await page.evaluate(() => ({
        t: document.getElementById("video").currentTime, ...window.player }));
      Object.assign(result, { fatal: s.fatal, manifest: s.manifest, frag: s.frag });
      result.errors = result.errors.concat(s.errors.filter((e) => !result.errors.includes(e)));
      if (s.fatal) break;
      if (result.start === null && s.t > 0) result.start = s.t;
      result.end = s.t;
      if (result.start !== null && s.t - result.start >= Number(minSeconds)) break;
      await page.waitForTimeout(250);
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result));
}

main().catch((e) => { console.log(JSON.stringify({ crash: String(e) })); process.exit(2); });
