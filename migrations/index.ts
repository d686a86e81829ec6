/** Every migration, in order. Generate a new one with `npm run migrate -- create` and list it here. */
import { Migration20261125000000_initial } from './Migration20261125000000_initial';
import { Migration20261202000000_funding_signature_unique } from './Migration20261202000000_funding_signature_unique';
import { Migration20261203000000_claims_share_payout } from './Migration20261203000000_claims_share_payout';
import { Migration20261203000100_allocation_digest } from './Migration20261203000100_allocation_digest';

export const migrationsList = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
  {
    name: 'Migration20261202000000_funding_signature_unique',
    class: Migration20261202000000_funding_signature_unique,
  },
  { name: 'Migration20261203000000_claims_share_payout', class: Migration20261203000000_claims_share_payout },
  { name: 'Migration20261203000100_allocation_digest', class: Migration20261203000100_allocation_digest },
];
