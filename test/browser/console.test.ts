/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoId, DEMO_ORGANIZATIONS, REPOSITORY_ROOT } from '@integration-graph/common';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { startTestPlatform, TestPlatform } from '../helpers';

// The web console (apps/console) in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run)
// driven by playwright-core, against the real platform (subgraphs, gateway serving the console, development login).
// Screenshots of every page go to test/browser/screenshots/ (ignored by git).

jest.setTimeout(180_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, 'screenshots');
const O = DEMO_ORGANIZATIONS;
/** Launch flags for a headless Chromium as root in a sandbox without a display, GPU or network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let platform: TestPlatform;
let base: string;
let userDataDir: string;
let context: BrowserContext;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  if (!fs.existsSync(path.join(REPOSITORY_ROOT, 'apps', 'console', 'dist', 'index.html'))) throw new Error('The console is not built: npm run build');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  platform = await startTestPlatform();
  base = platform.gatewayUrl.replace(/graphql$/, '');
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'de-DE',
    acceptDownloads: true,
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  await platform?.stop();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
  pageErrors.length = 0;
});

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

/** Logs in through the development login picker (the gateway issues the seeded user's token). */
async function loginAs(page: Page, handle: string): Promise<void> {
  await page.goto(`${base}#/login`);
  await page.locator(`button[data-handle="${handle}"]`).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/login'));
}

async function logout(page: Page): Promise<void> {
  await page.evaluate(() => window.sessionStorage.clear());
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

interface Figure {
  metric: string;
  value: number | null;
  suppressed: boolean;
}
interface Comparison {
  districtComparison: {
    period: string;
    standards: { id: string; metric: string; title: string }[];
    municipalities: { municipality: { name: string }; caseMetrics: Figure[]; referralMetrics: Figure[]; standardResults: { standard: { id: string }; met: boolean | null }[] }[];
  };
}

describe('the web console in Chromium', () => {
  it('a coordinator sees every standard of the district as a chart and a table with the figures of the API; CSV and print view', async () => {
    const page = await newPage();
    await loginAs(page, 'ortenaukreis-coordinator');
    expect(page.url()).toMatch(/#\/dashboard$/);
    await page.locator('section.standard').first().waitFor();
    const period = await page.locator('select[name=period]').inputValue();
    expect(await page.locator('select[name=district] option:checked').textContent()).toBe('Ortenaukreis');

    const api = await platform.query<Comparison>(
      `query($d: ID!, $p: String!) { districtComparison(districtId: $d, period: $p) { period standards { id metric title }
        municipalities { municipality { name } caseMetrics { metric value suppressed } referralMetrics { metric value suppressed } standardResults { standard { id } met } } } }`,
      { d: O.ortenaukreis.id, p: period },
      await platform.tokenOf('ortenaukreis-coordinator'),
    );
    expect(api.errors).toBeUndefined();
    const comparison = api.data!.districtComparison;
    expect(comparison.standards.length).toBeGreaterThan(0);
    expect(await page.locator('section.standard').count()).toBe(comparison.standards.length);

    for (const standard of comparison.standards) {
      const section = page.locator(`section.standard[data-standard-id="${standard.id}"]`);
      await expect(section.locator('h3').textContent()).resolves.toBe(standard.title);
      expect(await section.locator(`svg[data-chart-metric="${standard.metric}"] .chart-target line`).count()).toBe(1);
      // Table: one row per municipality, its value (or "suppressed") and the verdict exactly as the API says
      const rows = await section.locator('table.figures tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({ name: tr.getAttribute('data-municipality'), value: tr.getAttribute('data-value'), met: tr.querySelector('td[data-met]')?.getAttribute('data-met') ?? null })),
      );
      expect(rows).toHaveLength(comparison.municipalities.length);
      for (const municipality of comparison.municipalities) {
        const figure = [...municipality.caseMetrics, ...municipality.referralMetrics].find((f) => f.metric === standard.metric);
        const result = municipality.standardResults.find((r) => r.standard.id === standard.id);
        const row = rows.find((r) => r.name === municipality.municipality.name);
        expect({ municipality: municipality.municipality.name, value: row?.value, met: row?.met }).toEqual({
          municipality: municipality.municipality.name,
          value: figure?.suppressed ? 'suppressed' : figure?.value === null || figure === undefined ? '' : String(figure.value),
          met: result?.met === null || result?.met === undefined ? '' : String(result.met),
        });
        // Chart: a suppressed value is labelled, never drawn as a bar of 0
        const bar = section.locator(`svg g[data-municipality="${municipality.municipality.name}"]`);
        if (figure?.suppressed) {
          expect(await bar.locator('rect').count()).toBe(0);
          await expect(bar.locator('.chart-suppressed').textContent()).resolves.toBe('unterdrückt');
        } else if (figure?.value !== null && figure !== undefined) {
          expect(await bar.locator('rect').count()).toBe(1);
        }
      }
    }

    // Sorting by value puts suppressed and missing values last, and says so to assistive technology
    const table = page.locator('section.standard').first().locator('table.figures');
    await table.locator('thead button.sort').nth(1).click();
    await expect(table.locator('thead th[aria-sort="ascending"]').count()).resolves.toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV herunterladen' }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n').length).toBeGreaterThan(comparison.municipalities.length);
    expect(csv).toContain('Offenburg');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').isVisible()).toBe(false);
    expect(await page.locator('.print-only').first().isVisible()).toBe(true);
    await page.pdf({ path: path.join(SCREENSHOTS, 'dashboard-print.pdf') }).catch(() => undefined);
    await page.emulateMedia({ media: 'screen' });
    await shot(page, 'dashboard');
    await logout(page);
    await page.close();
  });

  it('a partner accepts a referral in the inbox, with the consented snapshot shown', async () => {
    const page = await newPage();
    await loginAs(page, 'vhs-partner');
    expect(page.url()).toMatch(/#\/inbox$/);
    const id = demoId('referral', 'ortenau-2-vhs');
    await page.locator(`tr[data-referral-id="${id}"] button`).click();
    const detail = page.locator(`article.detail[data-referral-id="${id}"]`);
    await detail.waitFor();
    expect(await detail.getAttribute('data-status')).toBe('SENT');
    await expect(detail.locator('[data-testid=snapshot] dt').allTextContents()).resolves.toContain('name');
    await shot(page, 'inbox');

    await detail.locator('button[data-action=ACCEPTED]').click();
    await detail.locator('form.step-form input[name=comment]').fill('Platz im Januarkurs');
    await detail.locator('form.step-form button[type=submit]').click();
    await page.locator(`article.detail[data-referral-id="${id}"][data-status="ACCEPTED"]`).waitFor();
    await expect(page.locator('article.detail [role=status]').textContent()).resolves.toMatch(/angenommen/);
    await shot(page, 'inbox-accepted');

    const api = await platform.query<{ referral: { status: string; history: { toStatus: string; comment: string | null }[] } }>(
      `query($id: ID!) { referral(id: $id) { status history { toStatus comment } } }`,
      { id },
      await platform.tokenOf('vhs-partner'),
    );
    expect(api.data!.referral.status).toBe('ACCEPTED');
    expect(api.data!.referral.history.at(-1)).toEqual({ toStatus: 'ACCEPTED', comment: 'Platz im Januarkurs' });
    await logout(page);
    await page.close();
  });

  it('a caseworker sees the caseload with its warnings, records a consultation, sends a referral and sees the consent error', async () => {
    const page = await newPage();
    await loginAs(page, 'ortenaukreis-caseworker');
    expect(page.url()).toMatch(/#\/cases$/);
    await page.locator('table.caseload tbody tr[data-case-id]').first().waitFor();
    expect(await page.locator('tr.warn-review [data-flag=review]').count()).toBeGreaterThan(0);
    await shot(page, 'caseload');

    const caseId = demoId('case', 'ortenau-1');
    await page.goto(`${base}#/cases/${caseId}`);
    await page.locator(`div.case[data-case-id="${caseId}"]`).waitFor();
    // record a consultation
    const consultation = page.locator('form[aria-labelledby=record-consultation]');
    await consultation.locator('input[name=durationMinutes]').fill('50');
    await consultation.locator('select[name=mode]').selectOption('HOME_VISIT');
    await consultation.locator('input[name=area-HOUSING]').check();
    await consultation.locator('button[type=submit]').click();
    await consultation.locator('.success').waitFor();

    // send a referral to the Volkshochschule: the consent check first, then the referral
    const form = page.locator('form[aria-labelledby=send-referral]');
    await form.locator('select[name=partner]').selectOption(O.vhs.id);
    await form.locator('select[name=lifeArea]').selectOption('LANGUAGE');
    await form.locator('input[name=reason]').fill('Integrationskurs B1 (Browsertest)');
    await form.getByRole('button', { name: 'Einwilligung prüfen' }).click();
    await form.locator('[data-consent=allowed]').waitFor();
    await form.locator('button[type=submit]').click();
    await form.locator('.success').waitFor();
    await page.locator(`ul.referrals li[data-status=SENT]`).filter({ hasText: O.vhs.name }).first().waitFor();
    await shot(page, 'case');

    const sent = await platform.query<{ outgoingReferrals: { edges: { node: { reason: string; status: string } }[] } }>(
      `{ outgoingReferrals(first: 50) { edges { node { reason status } } } }`,
      {},
      await platform.tokenOf('ortenaukreis-caseworker'),
    );
    expect(sent.data!.outgoingReferrals.edges.map((e) => e.node)).toContainEqual({ reason: 'Integrationskurs B1 (Browsertest)', status: 'SENT' });

    // ortenau-2's consent for the migration counselling was revoked: the error names the rule and the field
    await page.goto(`${base}#/cases/${demoId('case', 'ortenau-2')}`);
    const refused = page.locator('form[aria-labelledby=send-referral]');
    await refused.locator('select[name=partner]').selectOption(O.mbe.id);
    await refused.locator('input[name=reason]').fill('Beratung zum Aufenthalt');
    await refused.locator('select[name=lifeArea]').selectOption('RESIDENCE');
    await refused.getByRole('button', { name: 'Einwilligung prüfen' }).click();
    await refused.locator('[data-consent=missing]').waitFor();
    await refused.locator('button[type=submit]').click();
    const error = refused.locator('[role=alert][data-error-rule=consentRequired]');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/BAD_USER_INPUT.*consentRequired/);
    await expect(error.textContent()).resolves.toMatch(/input\.caseId/);
    await shot(page, 'case-consent-error');
    await logout(page);
    await page.close();
  });

  it('the newcomer directory needs no login and switches to Arabic and Persian, right to left', async () => {
    const page = await newPage();
    await page.goto(`${base}#/directory`);
    const directory = page.locator('.directory');
    await directory.locator('li[data-offering-id]').first().waitFor();
    expect(await directory.getAttribute('dir')).toBe('ltr');
    await shot(page, 'directory');
    for (const [code, tag, heading] of [['AR', 'ar', 'العروض القريبة منك'], ['FA', 'fa', 'برنامه‌های نزدیک شما']] as const) {
      await directory.locator('select[name=directory-language]').selectOption(code);
      await page.locator(`.directory[data-language=${code}][dir=rtl][lang=${tag}]`).waitFor();
      await expect(directory.locator('h1').textContent()).resolves.toBe(heading);
      await directory.locator('li[data-offering-id]').first().waitFor();
      await shot(page, `directory-${tag}`);
    }
    await directory.locator('select[name=directory-language]').selectOption('UK');
    expect(await page.locator('.directory[data-language=UK]').getAttribute('dir')).toBe('ltr');
    await page.close();
  });

  it('switches the interface to English and is usable with the keyboard', async () => {
    const page = await newPage();
    await page.goto(`${base}#/directory`);
    await page.locator('select[name=ui-language]').selectOption('en');
    await expect(page.locator('header nav').textContent()).resolves.toContain('Offerings for newcomers');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    // the first Tab reaches the skip link, which moves the focus to the content
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.locator('select[name=ui-language]').selectOption('de');
    await page.close();
  });
});
