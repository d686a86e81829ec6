/**
 * State on disk under dataDir:
 *   svm.bin            LiteSVM's own snapshot (saveToFile: accounts, sysvars, programs)
 *   transactions.jsonl our ledger, one landed transaction per line, append-only
 *   chain.json         genesis secret, faucet seed, last slot and clock history
 * Files are replaced via write-to-temp + rename so a crash never leaves a torn snapshot.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bank } from './bank';
import type { LocalChainCore, RestoredState } from './chain';
import type { ClockSegment } from './clock';
import type { TransactionRecord } from './ledger';

interface ChainFile {
  format: 1;
  genesisSecret: string;
  faucetSeed: string;
  slot: number;
  segments: ClockSegment[];
}

export class ChainStore {
  private readonly svmPath: string;
  private readonly ledgerPath: string;
  private readonly chainPath: string;
  /** A fresh chain must not append to a ledger file left by an older one. */
  private replaceLedger = false;

  constructor(readonly dir: string) {
    this.svmPath = join(dir, 'svm.bin');
    this.ledgerPath = join(dir, 'transactions.jsonl');
    this.chainPath = join(dir, 'chain.json');
  }

  load(): RestoredState | null {
    if (!existsSync(this.chainPath) || !existsSync(this.svmPath)) {
      this.replaceLedger = true;
      return null;
    }
    const chain = JSON.parse(readFileSync(this.chainPath, 'utf8')) as ChainFile;
    if (chain.format !== 1) throw new Error(`${this.chainPath}: unsupported format ${String(chain.format)}`);
    const records: TransactionRecord[] = [];
    if (existsSync(this.ledgerPath)) {
      for (const line of readFileSync(this.ledgerPath, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          records.push(JSON.parse(line) as TransactionRecord);
        } catch {
          // a line torn by a crash mid-append: everything before it is intact
        }
      }
    }
    return {
      bank: Bank.fromFile(this.svmPath),
      genesisSecret: new Uint8Array(Buffer.from(chain.genesisSecret, 'hex')),
      faucetSeed: new Uint8Array(Buffer.from(chain.faucetSeed, 'hex')),
      segments: chain.segments,
      slot: chain.slot,
      records,
    };
  }

  /** Synchronous on purpose: called from signal handlers and timers, and takes milliseconds. */
  save(core: LocalChainCore): void {
    mkdirSync(this.dir, { recursive: true });
    const records = core.ledger.takeUnsaved();
    const lines = records.map((r) => JSON.stringify(r) + '\n').join('');
    if (this.replaceLedger) {
      writeFileSync(this.ledgerPath, lines);
      this.replaceLedger = false;
    } else if (lines) {
      appendFileSync(this.ledgerPath, lines);
    }
    core.bank.saveTo(`${this.svmPath}.tmp`);
    renameSync(`${this.svmPath}.tmp`, this.svmPath);
    const chain: ChainFile = {
      format: 1,
      genesisSecret: Buffer.from(core.genesisSecret).toString('hex'),
      faucetSeed: Buffer.from(core.faucetSeed).toString('hex'),
      slot: core.slot,
      segments: [...core.clock.history],
    };
    writeFileSync(`${this.chainPath}.tmp`, JSON.stringify(chain));
    renameSync(`${this.chainPath}.tmp`, this.chainPath);
    core.bankDirty = false;
  }
}
