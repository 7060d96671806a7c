/** vtrial's version, from package.json (recorded in every manifest and summary). */
import { createRequire } from 'node:module';

export const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
