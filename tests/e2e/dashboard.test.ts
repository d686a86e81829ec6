/**
 * The admin dashboard in Debian's Chromium against the real system: the API serving
 * admin/dist, a worker, a local chain and a database of this suite's own (the pass hash list
 * and rounds are global tables other suites assert on). A test wallet is injected into the
 * page as a Phantom-style provider that signs in Node with tweetnacl. Screenshots of every
 * page go to test-output/screenshots/.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nacl from 'tweetnacl';
import request from 'supertest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Connection, SystemProgram, type Keypair } from '@solana/web3.js';
import { writeKeypairFile } from '../../src/chain/payer-key';
import { startLocalChain, type LocalChain } from '../../src/chain/local';
import { ownDatabase, startTestSystem, startTestWorker, type TestSystem } from '../support/harness';
import { fundedKeypair, newNft, sendLegacy, SOL } from '../support/chain-fixtures';
import { newWallet, signIn, walletOf, type TestWallet } from '../support/wallet';
import { CHROMIUM } from '../../scripts/lib/chromium';

const ROOT = path.resolve(__dirname, '..', '..');
const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
const PRICE_SOL = SOL / 100n; // 0.01 SOL
const ROUND = `e2e-${crypto.randomBytes(3).toString('hex')}`;
/** A month no other suite uses: distribution workflow ids are global to the Temporal namespace. */
const MONTH = '2030-07';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DESKTOP = { width: 1280, height: 900 };
const TABLET = { width: 820, height: 1180 };

/** What page functions see of the browser's globals (the root tsconfig has no DOM types). */
interface PageGlobals {
  document: { documentElement: { scrollWidth: number } };
  innerWidth: number;
  __testWalletSign(bytes: number[]): Promise<number[]>;
}

describe('admin dashboard in Chromium (API + worker + local chain)', () => {
  let chain: LocalChain;
  let connection: Connection;
  let system: TestSystem;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let server: Server;
  let baseUrl: string;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let treasury: Keypair;
  let buyer: Keypair;
  let holderA: Keypair;
  let holderB: Keypair;
  const passMints: string[] = [];
  const admin = newWallet();
  const buyerEmail = `buyer-${crypto.randomBytes(3).toString('hex')}@example.com`;
  let projectName: string;

  const bearer = async (w: TestWallet) => ({ Authorization: `Bearer ${await signIn(system.app, w)}` });

  /** A page whose window.solana / window.phantom.solana is `wallet`, signing in Node. */
  async function pageWithWallet(wallet: TestWallet): Promise<Page> {
    const p = await context.newPage();
    await p.setViewportSize(DESKTOP);
    await p.exposeFunction('__testWalletSign', (bytes: number[]) =>
      Array.from(nacl.sign.detached(Uint8Array.from(bytes), wallet.secretKey)),
    );
    await p.addInitScript((address: string) => {
      const publicKey = { toString: () => address, toBase58: () => address };
      const provider = {
        isPhantom: true,
        publicKey,
        connect: async () => ({ publicKey }),
        disconnect: async () => undefined,
        signMessage: async (message: Uint8Array) => ({
          signature: Uint8Array.from(
            await (globalThis as unknown as PageGlobals).__testWalletSign(Array.from(message)),
          ),
          publicKey,
        }),
      };
      Object.assign(globalThis, { solana: provider, phantom: { solana: provider } });
    }, wallet.address);
    return p;
  }

  const shot = async (p: Page, name: string) => {
    await p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  /** Waits for a toast; on a timeout the page is saved as failed-*.png to show what it said instead. */
  const toast = (text: string | RegExp) =>
    page
      .locator('[data-sonner-toast]')
      .filter({ hasText: text })
      .first()
      .waitFor()
      .catch(async (err: unknown) => {
        await shot(page, `failed-${String(text).replace(/\W+/g, '-').slice(0, 40)}`);
        throw err;
      });
  /** Opens the action `button`, fills nothing, confirms in its dialog, waits for the success toast. */
  async function confirmAction(button: string, success: string | RegExp, confirm = button) {
    await page.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: confirm, exact: true }).click();
    await toast(success);
    await dialog.waitFor({ state: 'detached' });
  }
  /** A screenshot at tablet width, after checking nothing needs horizontal scrolling. */
  async function atTablet(name: string) {
    await page.setViewportSize(TABLET);
    await page.waitForFunction(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.document.documentElement.scrollWidth <= g.innerWidth;
    });
    await shot(page, name);
    await page.setViewportSize(DESKTOP);
  }
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'admin', 'dist', 'index.html'))) {
      throw new Error(
        'admin/dist is missing: npm test builds it (scripts/lib/admin-build.js), or npm run admin:build',
      );
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    database = await ownDatabase('e2e');

    chain = await startLocalChain({ port: 0 });
    connection = new Connection(chain.url, 'confirmed');
    treasury = fundedKeypair(chain, 1);
    const payer = fundedKeypair(chain, 100);
    const payerKeyFile = path.join(process.env.SR_TEST_TMP ?? os.tmpdir(), `e2e-payer-${ROUND}.json`);
    writeKeypairFile(payerKeyFile, payer);
    buyer = fundedKeypair(chain, 5);
    holderA = fundedKeypair(chain, 1);
    holderB = fundedKeypair(chain, 1);
    for (const owner of [holderA, holderA, holderB]) {
      passMints.push((await newNft(connection, payer, owner.publicKey)).mint.toBase58());
    }
    system = await startTestSystem({
      DATABASE_URL: database.url,
      RPC_URL: chain.url,
      TREASURY_WALLET: treasury.publicKey.toBase58(),
      PAYER_KEY_FILE: payerKeyFile,
      ADMIN_WALLETS: admin.address,
      LOTTERY_GRACE_PERIOD: '200ms',
      LOTTERY_PENDING_POLL: '200ms',
      LOTTERY_VERIFY_WINDOW: '20s',
      PURCHASE_WAIT: '30s',
      REVENUE_APPROVALS_REQUIRED: '1',
      REVENUE_CLAIM_WAIT: '30s',
      REVENUE_SNAPSHOT_CHUNK: '2',
    });
    worker = await startTestWorker(system);
    server = system.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-e2e-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timezoneId: 'UTC',
      locale: 'en-GB',
      viewport: DESKTOP,
    });
    context.setDefaultTimeout(30_000);
    page = await pageWithWallet(admin);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await worker?.close();
    await system?.close();
    await chain?.close();
    await database?.drop();
  });

  it('signs in with the wallet, shows the overview, and keeps deep links working', async () => {
    await page.goto(`${baseUrl}/admin/`);
    await page.getByRole('heading', { name: 'Stoned Rabbits admin' }).waitFor();
    await shot(page, '01-sign-in');
    await page.getByRole('button', { name: 'Sign in with wallet' }).click();
    await heading('Overview');
    await page.getByText('No round is scheduled or selling').waitFor();
    await page.getByRole('heading', { name: 'System health' }).waitFor();
    await page.getByText('Every dependency answers').waitFor();
    await shot(page, '02-overview');

    // A deep link loads the app (index.html) and its router, with the session kept in the tab.
    await page.goto(`${baseUrl}/admin/users`);
    await heading('Users');
  }, 60_000);

  it('creates a round from the form with exact base-unit amounts', async () => {
    await nav('Lottery');
    await heading('Lottery');
    await page.getByText('No rounds yet').waitFor();
    await page.getByRole('button', { name: 'Create round' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByLabel('Round id (optional)').fill(ROUND);
    await dialog.getByLabel('Prize pool (SOL)').fill('1.5');
    await dialog.getByLabel('Ticket price (SOL)').fill('0.010000000001');
    await dialog.getByText('SOL has at most 9 decimal places').waitFor();
    await dialog.getByLabel('Ticket price (SOL)').fill('0.01');
    await dialog.getByText('= 10000000 lamports').waitFor();
    await dialog.getByLabel('Ticket price (USDC)').fill('1');
    const minuteAgo = new Date(Date.now() - 120_000).toISOString().slice(0, 16);
    await dialog.getByLabel('Sales start (local time)').fill(minuteAgo);
    await shot(page, '03-create-round');
    await dialog.getByRole('button', { name: 'Create round' }).click();
    await toast(`Round ${ROUND} created`);
    await heading(new RegExp(`Round ${ROUND}`));
    await page.getByRole('heading', { level: 1 }).getByText('active').waitFor();

    const [row] = await system.sql(
      'select prize_pool_lamports::text as prize, ticket_price_lamports::text as sol, ticket_price_usdc::text as usdc from lottery_rounds where id = ?',
      [ROUND],
    );
    expect(row).toEqual({ prize: '1500000000', sol: PRICE_SOL.toString(), usdc: '1000000' });
  }, 60_000);

  it('shows sales live after tickets are bought on the local chain', async () => {
    const buyerWallet = walletOf(buyer.secretKey);
    const auth = await bearer(buyerWallet);
    await request(system.app).put('/api/v1/users/me').set(auth).send({ email: buyerEmail }).expect(200);
    const signature = await sendLegacy(
      connection,
      [
        SystemProgram.transfer({
          fromPubkey: buyer.publicKey,
          toPubkey: treasury.publicKey,
          lamports: 3n * PRICE_SOL,
        }),
      ],
      [buyer],
    );
    const bought = await request(system.app).post('/api/v1/lottery/purchase').set(auth).send({
      walletAddress: buyerWallet.address,
      ticketCount: 3,
      paymentMethod: 'SOL',
      transactionSignature: signature,
      roundId: ROUND,
    });
    expect(bought.status).toBe(200);

    // The page was open before the purchase: it refreshes by itself.
    await page.getByTestId('round-tickets-sold').filter({ hasText: /^3$/ }).waitFor();
    await page.getByRole('table', { name: 'Tickets' }).getByRole('row').nth(3).waitFor();
    await shot(page, '04-round-selling');

    // The export is every ticket of the round, fetched with the admin's token.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${ROUND}-tickets.csv`);
    const exported = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(exported.slice(1).map((row) => row.split(',').slice(0, 2))).toEqual(
      [1, 2, 3].map((n) => [String(n), buyer.publicKey.toBase58()]),
    );
    await nav('Lottery');
    await page
      .getByRole('table', { name: 'Lottery rounds' })
      .getByTestId('tickets-sold')
      .filter({ hasText: /^3$/ })
      .waitFor();
    await shot(page, '05-lottery');
  }, 60_000);

  it('closes and draws with confirmations, then verifies the proof in the browser', async () => {
    await page.getByRole('link', { name: ROUND }).click();
    await heading(new RegExp(`Round ${ROUND}`));
    await confirmAction('Close sales', 'sales are closed');
    // The beacon is the first finalized block after the freeze: once frozen, finalize at once.
    await page.getByText('Frozen ticket count').locator('..').getByText('3', { exact: true }).waitFor();
    chain.warpSlots(40);
    await confirmAction('Draw', /Drawn: ticket #\d of 3 wins/);
    await page.getByRole('heading', { level: 1 }).getByText('completed').waitFor();
    await page.getByRole('tab', { name: 'Draw proof' }).click();
    await page.getByRole('button', { name: 'Verify in this browser' }).click();
    const result = page.getByTestId('proof-result');
    await result.getByText(/^MATCH: the draw recomputes to index \d, ticket #\d of 3/).waitFor();
    expect(await result.textContent()).toContain(buyer.publicKey.toBase58());
    await shot(page, '06-round-drawn-verified');
    await atTablet('07-round-tablet');

    await confirmAction('Pay prize', /^Prize paid: 1\.5 SOL in \w+/);
    // The round shows the prize payout's status and signature from the payouts table.
    await page.getByTestId('round-prize-payout').getByText('confirmed').waitFor();

    // Every lamport of the round accounted for against the chain.
    await page.getByRole('tab', { name: 'Reconciliation' }).click();
    await page.getByTestId('reconciliation-verdict').getByText('BALANCED', { exact: true }).waitFor();
    await page.getByRole('table', { name: 'Submitted signatures' }).getByText('accepted').first().waitFor();
  }, 90_000);

  it('uploads a revenue month from a previewed CSV, approves it and shows the claims', async () => {
    await nav('Revenue Pass');
    await heading('Revenue Pass');
    await page.getByLabel('Mint addresses, one per line').fill(passMints.join('\n'));
    await page.getByRole('button', { name: 'Import mints' }).click();
    await toast('Hash list imported: 3 added');

    await page.getByLabel('Month', { exact: true }).fill(MONTH);
    await page.getByRole('tab', { name: 'Paste or load a CSV' }).click();
    const csv = page.getByRole('textbox', { name: /^CSV \(name,amount/ });
    await csv.fill('name,amount\nRoyalties,2\nMerch,1.5.0');
    const preview = page.getByRole('table', { name: 'CSV preview' });
    await preview.getByText('amount: is not a plain decimal number: "1.5.0"').waitFor();
    expect(await page.getByRole('button', { name: 'Upload month' }).isDisabled()).toBe(true);
    await shot(page, '08-revenue-csv-errors');
    await csv.fill('name,amount\nRoyalties,2\nMerch,0.5');
    await page.getByText('2 rows, total 2.5 SOL').waitFor();
    await page.getByRole('button', { name: 'Upload month' }).click();
    await toast(`Distribution ${MONTH} created`);
    await heading(new RegExp(`Revenue ${MONTH}`));

    await page
      .getByTestId('snapshot-progress')
      .filter({ hasText: '3 of 3 passes resolved (100 %)' })
      .waitFor();
    await page.getByRole('heading', { level: 1 }).getByText('awaiting approval').waitFor();
    await confirmAction('Approve', `${MONTH} approved by 1 of 1 admin(s): claims open now`);
    await page.getByRole('heading', { level: 1 }).getByText('open').waitFor();
    await page.getByText(admin.address).first().waitFor();
    const claims = page.getByRole('table', { name: 'Claims per pass' });
    await claims.getByText('unclaimed').nth(2).waitFor();

    const claimed = await request(system.app)
      .post('/api/v1/revenue-pass/claims')
      .set(await bearer(walletOf(holderA.secretKey)))
      .send({ month: MONTH });
    expect(claimed.status).toBe(200);
    await claims.getByText('paid').nth(1).waitFor();
    await claims.getByText('unclaimed').first().waitFor();
    // The reconciliation asks the chain when asked: after the claim, two claim rows paid, balanced.
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('table', { name: 'Claim rows' }).getByText('confirmed').nth(1).waitFor();
    await page.getByTestId('reconciliation-verdict').getByText('BALANCED', { exact: true }).waitFor();
    await shot(page, '09-revenue-month');
  }, 90_000);

  it('reviews a utility project and posts an update', async () => {
    projectName = `Rabbit DAO ${crypto.randomBytes(2).toString('hex')}`;
    await request(system.app)
      .post('/api/v1/utility-factory/project')
      .send({
        projectName,
        email: `client-${crypto.randomBytes(3).toString('hex')}@example.com`,
        package: 'professional',
        services: ['smart-contract', 'website'],
        paymentMethod: 'SOL',
        details: 'A staking dApp for rabbit holders.',
        budget: 2500.5,
      })
      .expect(201);
    await nav('Utility Factory');
    await heading('Utility Factory');
    await page.getByRole('link', { name: projectName }).click();
    await heading(new RegExp(projectName));
    await shot(page, '10-project-pending');

    await page.getByRole('button', { name: 'Review', exact: true }).click();
    const review = page.getByRole('alertdialog', { name: new RegExp(`^Review ${projectName}`) });
    await review.getByLabel('Assignee').fill('alice');
    await review.getByLabel('Estimated completion').fill('2030-03-01');
    await review.getByLabel('Total cost (USD)').fill('2500.50');
    await review.getByRole('button', { name: 'Send review' }).click();
    await toast('Project is approved (0 %)');
    // The review dialog is gone (it closes with an animation) before the next one opens.
    await review.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Post update', exact: true }).click();
    const update = page.getByRole('alertdialog', { name: 'Post an update to the client' });
    await update.getByLabel('Message', { exact: true }).fill('Contracts deployed to devnet');
    await update.getByLabel('Progress (%)').fill('40');
    await update.getByRole('button', { name: 'Post update' }).click();
    await toast('Project is in progress (40 %)');
    await page.getByTestId('project-progress').filter({ hasText: '40 % done' }).waitFor();
    await page.getByRole('list', { name: 'Updates' }).getByText('Contracts deployed to devnet').waitFor();
    await page.getByRole('table', { name: 'Status history' }).getByText('post update').waitFor();
    await shot(page, '11-project-in-progress');
    await nav('Utility Factory');
    await page.getByRole('button', { name: 'in progress', exact: true }).click();
    await page.getByRole('link', { name: projectName }).waitFor();
    await shot(page, '12-utility-queue');
  }, 60_000);

  it('finds the buyer, their activity and e-mails, and resends a failed e-mail', async () => {
    await nav('Users');
    await page.getByLabel('Wallet or e-mail').fill(buyerEmail.slice(0, 12));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: buyer.publicKey.toBase58() }).click();
    await page.getByRole('heading', { name: 'E-mail history' }).waitFor();
    const emails = page.getByRole('table', { name: 'E-mail history' });
    await emails.getByText('sent', { exact: true }).first().waitFor();
    await page.getByRole('table', { name: 'Activity log' }).getByRole('row').nth(1).waitFor();

    // The log transport never fails; mark the receipt e-mail failed as a bounce would.
    await system.sql(
      `update email_notifications set status = 'failed', error_message = 'mailbox unavailable (test)' where recipient_email = ?`,
      [buyerEmail],
    );
    await emails.getByText('mailbox unavailable (test)').first().waitFor();
    await shot(page, '13-user');
    await emails.getByRole('button', { name: 'Resend' }).first().click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Resend' }).click();
    await toast(`E-mail to ${buyerEmail} queued again`);
    await emails.getByText('sent', { exact: true }).first().waitFor();
  }, 60_000);

  it('refuses a wallet that is not an admin, and signs out', async () => {
    const outsider = await pageWithWallet(newWallet());
    await outsider.goto(`${baseUrl}/admin/lottery`);
    await outsider.getByRole('button', { name: 'Sign in with wallet' }).click();
    await outsider.getByRole('heading', { name: 'Not an admin' }).waitFor();
    await shot(outsider, '14-not-admin');
    await outsider.getByRole('button', { name: 'Sign out' }).click();
    await outsider.getByRole('button', { name: 'Sign in with wallet' }).waitFor();
    await outsider.close();

    await nav('Overview');
    await page.getByRole('heading', { name: 'Ticket sales over time' }).waitFor();
    await page.getByText('3 tickets issued in the last 30 days').waitFor();
    await page.getByRole('region', { name: 'Utility queue' }).getByText('in progress').waitFor();
    await shot(page, '15-overview-after');
    await atTablet('16-overview-tablet');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with wallet' }).waitFor();
  }, 60_000);

  it('refunds everyone of a cancelled round from the Refunds tab, behind a confirmation', async () => {
    // Last, so its ticket does not change the sales the overview shows above. A second round
    // (the first is drawn, so it no longer holds the sales window), one payment, cancelled.
    const adminAuth = await bearer(admin);
    const refundRound = `${ROUND}-refunds`;
    await request(system.app)
      .post('/api/v1/admin/lottery/rounds')
      .set(adminAuth)
      .send({
        id: refundRound,
        prizePool: 1,
        startDate: new Date(Date.now() - 60_000).toISOString(),
        endDate: new Date(Date.now() + 30 * 60_000).toISOString(),
        ticketPriceLamports: PRICE_SOL.toString(),
        ticketPriceUsdc: '1000000',
      })
      .expect(201);
    const payer = fundedKeypair(chain, 1);
    const signature = await sendLegacy(
      connection,
      [
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: treasury.publicKey,
          lamports: PRICE_SOL,
        }),
      ],
      [payer],
    );
    const payerWallet = walletOf(payer.secretKey);
    const bought = await request(system.app)
      .post('/api/v1/lottery/purchase')
      .set(await bearer(payerWallet))
      .send({
        walletAddress: payerWallet.address,
        ticketCount: 1,
        paymentMethod: 'SOL',
        transactionSignature: signature,
        roundId: refundRound,
      });
    expect(bought.status).toBe(200);
    await request(system.app)
      .post(`/api/v1/admin/lottery/rounds/${refundRound}/cancel`)
      .set(adminAuth)
      .send({})
      .expect(200);
    const before = BigInt(await connection.getBalance(payer.publicKey, 'confirmed'));

    // The test before signed out: a deep link, then sign in again.
    await page.goto(`${baseUrl}/admin/lottery/${refundRound}`);
    await page.getByRole('button', { name: 'Sign in with wallet' }).click();
    await heading(new RegExp(`Round ${refundRound}`));
    await page.getByRole('tab', { name: 'Refunds owed' }).click();
    await page.getByTestId('refund-state').getByText('owed').waitFor();
    await confirmAction('Refund everyone', '1 refund(s) paid');
    await page.getByTestId('refund-state').getByText('paid').waitFor();
    expect(BigInt(await connection.getBalance(payer.publicKey, 'confirmed')) - before).toBe(PRICE_SOL);
    expect(await page.getByRole('button', { name: 'Pay refund', exact: true }).isDisabled()).toBe(true);
    await shot(page, '07b-round-refunded');
  }, 90_000);
});
