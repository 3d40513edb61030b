// dashboard.mjs - drives the gateway's dashboard in real headless Chromium (Debian's
// /usr/bin/chromium through playwright-core, a fresh profile): the page loads with the
// token from the address, live numbers change while traffic flows, the tables fill, a
// blocked message shows with its reason, and nothing is written to the console as an
// error. Prints one JSON line with what it saw; test_dashboard.py judges it.
// Usage: node dashboard.mjs URL TOKEN PROFILE_DIR SCREENSHOT
import { chromium } from 'playwright-core';

const [url, token, profile, shot] = process.argv.slice(2);
const out = { errors: [], loaded: false };
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.errors.push(m.text()); });
  page.on('pageerror', (e) => out.errors.push(String(e)));
  const resp = await page.goto(url + '#token=' + encodeURIComponent(token));
  out.status = resp.status();
  await page.waitForSelector('#main', { state: 'visible', timeout: 15000 });
  out.loaded = true;
  out.first = Number(await page.textContent('#c-in'));
  await page.waitForFunction((v) => Number(document.getElementById('c-in').textContent) > v,
                             out.first, { timeout: 30000 });
  out.second = Number(await page.textContent('#c-in'));
  await page.waitForFunction(() => Number(document.getElementById('t-blocked').dataset.count) > 0,
                             null, { timeout: 30000 });
  out.blocked = await page.$$eval('#t-blocked tr', (rows) =>
    rows.slice(1).map((r) => Array.from(r.children).map((c) => c.textContent)));
  out.checks = await page.$$eval('#t-checks tr', (rows) => rows.length - 1);
  out.partners = await page.$$eval('#t-partners tr', (rows) =>
    rows.slice(1).map((r) => r.children[0].textContent));
  out.links = await page.$$eval('#t-links tr', (rows) => rows.length - 1);
  out.verdicts = await page.$$eval('#t-verdicts tr', (rows) => rows.length - 1);
  out.rate = Number(await page.textContent('#c-rate'));
  out.state = await page.textContent('#state');
  await page.screenshot({ path: shot, fullPage: true });
} catch (e) {
  out.failure = String(e);
} finally {
  await ctx.close();
}
console.log(JSON.stringify(out));
