/** Every migration, in order. Generate a new one with `npm run migrate -- create` and list it here. */
import { Migration20261125000000_initial } from './Migration20261125000000_initial';
import { Migration20261202000000_funding_signature_unique } from './Migration20261202000000_funding_signature_unique';
import { Migration20261203000000_claims_share_payout } from './Migration20261203000000_claims_share_payout';
import { Migration20261203000100_allocation_digest } from './Migration20261203000100_allocation_digest';
import { Migration20261203000200_chain_memos } from './Migration20261203000200_chain_memos';

export const migrationsList = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
  {
    name: 'Migration20261202000000_funding_signature_unique',
    class: Migration20261202000000_funding_signature_unique,
  },
  { name: 'Migration20261203000000_claims_share_payout', class: Migration20261203000000_claims_share_payout },
  { name: 'Migration20261203000100_allocation_digest', class: Migration20261203000100_allocation_digest },
  { name: 'Migration20261203000200_chain_memos', class: Migration20261203000200_chain_memos },
];
