/** Every migration, in order. Generate a new one with `npm run migrate -- create` and list it here. */
import { Migration20261125000000_initial } from './Migration20261125000000_initial';

export const migrationsList = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
];
