/** The vault's migrations use the shared numbered-migration runner's type (src/main/storage). */
export type { Migration } from '../../storage/migration-runner';
