/** Column presets shared by the entities, so money and addresses are declared one way. */
import { BigIntType } from '@mikro-orm/core';

/** Integer base units (lamports, USDC micro-units) as a JS bigint in a BIGINT column. */
export const baseUnits = () => ({ type: new BigIntType('bigint'), columnType: 'bigint' }) as const;
export const address = () => ({ type: 'string', length: 44 }) as const;
export const txSignature = () => ({ type: 'string', length: 88 }) as const;
export const createdAt = () =>
  ({ type: 'datetime', defaultRaw: 'now()', onCreate: () => new Date() }) as const;
export const updatedAt = () =>
  ({
    type: 'datetime',
    defaultRaw: 'now()',
    onCreate: () => new Date(),
    onUpdate: () => new Date(),
  }) as const;
