// The review queue in a real browser (issue 11): Debian's headless Chromium driven by
// playwright-core. A staff member logs in and confirms a suspect; an approver approves it and
// publishes; the published notice shows the account. axe-core (WCAG 2.1 AA) runs on every
// page of the app and fails the test on a serious or critical violation; desktop and phone
// screenshots are saved. The pages' CSP stays on (axe is evaluated through DevTools, which
// the CSP does not govern), and any CSP violation the browser reports fails the test.
//
// Run by scripts/browser-test, which starts the server and passes:
//   BASE (http://127.0.0.1:PORT), OUT_DIR (the public folder), SHOTS (screenshot folder),
//   SUSPECT (the handle to confirm), NODE_HOME (folder with node_modules), CHROMIUM.
'use strict';
const fs = require('fs');
const path = require('path');

const env = (k) => {
  const v = process.env[k];
  if (!v) { console.error(`browser test: ${k} is not set`); process.exit(2); }
  return v;
};
const BASE = env('BASE');
const OUT_DIR = env('OUT_DIR');
const SHOTS = env('SHOTS');
const SUSPECT = env('SUSPECT');
const NODE_HOME = env('NODE_HOME');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const STAFF = { user: 'sato', password: 'staff password 1' };
const APPROVER = { user: 'suzuki', password: 'approver password 1' };

const { chromium } = require(path.join(NODE_HOME, 'node_modules', 'playwright-core'));
const AXE = fs.readFileSync(path.join(NODE_HOME, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];
const DEVICES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};

const failures = [];
const timings = {};
const fail = (msg) => { failures.push(msg); console.error(`FAIL ${msg}`); };
const ok = (msg) => console.log(`ok   ${msg}`);

async function axe(page, name) {
  await page.evaluate(`${AXE}\n;void 0;`);
  const r = await page.evaluate(async (tags) => {
    const res = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
      html: v.nodes.slice(0, 2).map((n) => n.html.slice(0, 200)) }));
  }, AXE_TAGS);
  const serious = r.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of r) console.log(`     axe ${name}: ${v.impact} ${v.id} (${v.nodes}) ${v.help} ${JSON.stringify(v.html)}`);
  if (serious.length) fail(`axe on ${name}: ${serious.map((v) => v.id).join(', ')}`);
  else ok(`axe on ${name}: no serious or critical violation (${r.length} minor/moderate)`);
}

async function shot(page, device, name) {
  const file = path.join(SHOTS, `${device}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`     screenshot ${file}`);
}

async function login(page, who) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('ユーザー名').fill(who.user);
  await page.getByLabel('パスワード').fill(who.password);
  await Promise.all([page.waitForURL(`${BASE}/suspects`), page.getByRole('button', { name: 'ログイン' }).click()]);
}

async function logout(page) {
  await Promise.all([page.waitForURL(`${BASE}/login`), page.getByRole('button', { name: 'ログアウト' }).click()]);
}

function watchCsp(page, device) {
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) fail(`${device}: CSP violation on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => fail(`${device}: page error on ${page.url()}: ${e.message}`));
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60000 });
  try {
    // --- desktop: the whole decision, staff then approver ---------------------------------
    const ctx = await browser.newContext({ ...DEVICES.desktop, locale: 'ja-JP' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30000);
    watchCsp(page, 'desktop');

    await page.goto(`${BASE}/suspects`);
    if (!page.url().endsWith('/login')) fail(`without a session /suspects should lead to /login, got ${page.url()}`);
    await axe(page, 'login');
    await shot(page, 'desktop', 'login');

    // A wrong password first: the page says so, no session.
    await page.getByLabel('ユーザー名').fill(STAFF.user);
    await page.getByLabel('パスワード').fill('not the password');
    await page.getByRole('button', { name: 'ログイン' }).click();
    if (!(await page.getByRole('alert').textContent()).includes('違います')) fail('wrong password message');
    await axe(page, 'login (wrong password)');

    await login(page, STAFF);
    ok('staff logged in');
    await axe(page, 'suspects list');
    await shot(page, 'desktop', 'suspects');

    // The reviewer's decision: open the suspect from the queue, read, confirm.
    const t0 = Date.now();
    await Promise.all([page.waitForURL(/\/suspects\/\d+$/), page.getByRole('link', { name: `@${SUSPECT}`, exact: true }).first().click()]);
    const detailUrl = page.url();
    timings.open_suspect_ms = Date.now() - t0;
    const images = await page.locator('table.compare img').evaluateAll((imgs) => imgs.map((i) => ({ alt: i.alt, ok: i.complete && i.naturalWidth > 0 })));
    if (images.length !== 2 || !images.every((i) => i.ok)) fail(`both avatars side by side: ${JSON.stringify(images)}`);
    else ok('both avatars load from the database');
    await axe(page, 'suspect (new)');
    await shot(page, 'desktop', 'suspect-new');
    const t1 = Date.now();
    await page.locator('form.action-confirm').getByLabel('メモ（任意）').fill('公式と同じアイコンと表示名');
    await Promise.all([page.waitForURL(/done=confirm/), page.getByRole('button', { name: 'なりすましと確認する' }).click()]);
    timings.confirm_ms = Date.now() - t1;
    timings.decision_ms = Date.now() - t0;
    const status = await page.getByRole('status').textContent();
    if (!status.includes('なりすましと確認しました')) fail(`confirmation message: ${status}`);
    else ok('staff confirmed the suspect');
    if (!(await page.locator('pre.report').textContent()).includes('削除依頼')) fail('takedown draft on the confirmed suspect');
    await axe(page, 'suspect (confirmed)');
    await shot(page, 'desktop', 'suspect-confirmed');

    // Staff cannot publish: no button.
    await page.goto(`${BASE}/publish`);
    if (await page.getByRole('button', { name: 'この内容で公開する' }).count()) fail('staff sees the publish button');
    await logout(page);
    ok('staff logged out');

    // The approver approves (決裁) and publishes.
    await login(page, APPROVER);
    ok('approver logged in');
    await page.goto(detailUrl);
    const approve = page.getByRole('button', { name: '承認する（決裁）' });
    if (!(await approve.count())) fail('the approver sees no approve button');
    await page.locator('form.action-approve').getByLabel('メモ（任意）').fill('課長決裁済み');
    await Promise.all([page.waitForURL(/done=approve/), approve.click()]);
    if (!(await page.locator('.approval').textContent()).includes(`承認済み：${APPROVER.user}`)) fail('approval shown');
    else ok('approver approved');
    await axe(page, 'suspect (approved)');
    const t2 = Date.now();
    await page.getByRole('link', { name: '公開ページ' }).click();
    await page.waitForURL(`${BASE}/publish`);
    const preview = await page.locator('.preview-frame').textContent();
    if (!preview.includes(`@${SUSPECT}`)) fail('the preview shows the account');
    await axe(page, 'publish');
    await shot(page, 'desktop', 'publish');
    await Promise.all([page.waitForURL(/done=1/), page.getByRole('button', { name: 'この内容で公開する' }).click()]);
    timings.publish_ms = Date.now() - t2;
    ok('approver published');
    await axe(page, 'publish (done)');

    // The error page.
    await page.goto(`${BASE}/suspects/999999`);
    await axe(page, 'error page');
    await page.goto(`${BASE}/suspects`);
    await logout(page);

    // The published notice, as a citizen opens it.
    const notice = fs.readFileSync(path.join(OUT_DIR, 'notice.html'), 'utf8');
    if (!notice.includes(`@${SUSPECT}`)) fail('the published notice shows the account');
    else ok('the published notice shows the account');
    const pub = await ctx.newPage();
    await pub.goto(`file://${path.join(OUT_DIR, 'notice.html')}`);
    if (!(await pub.textContent('body')).includes(`@${SUSPECT}`)) fail('the notice in the browser shows the account');
    await shot(pub, 'desktop', 'published-notice');
    await ctx.close();

    // --- phone: the same pages at 390 px --------------------------------------------------
    const phone = await browser.newContext({ ...DEVICES.phone, locale: 'ja-JP' });
    const p = await phone.newPage();
    watchCsp(p, 'phone');
    await p.goto(`${BASE}/login`);
    await shot(p, 'phone', 'login');
    await login(p, STAFF);
    await axe(p, 'suspects list (phone)');
    await shot(p, 'phone', 'suspects');
    await p.goto(detailUrl);
    await axe(p, 'suspect (phone)');
    await shot(p, 'phone', 'suspect');
    await p.goto(`${BASE}/publish`);
    await shot(p, 'phone', 'publish');
    const wide = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (wide) fail('the publish page scrolls sideways on a phone');
    await p.goto(detailUrl);
    const wideDetail = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (wideDetail) fail('the suspect page scrolls sideways on a phone');
    await phone.close();
  } finally {
    await browser.close();
  }
  console.log(`timings ${JSON.stringify(timings)}`);
  if (failures.length) {
    console.error(`browser test: ${failures.length} failure(s)`);
    process.exit(1);
  }
  console.log('browser test: all passed');
}

main().catch((e) => { console.error(`browser test: ${e.stack || e}`); process.exit(2); });
