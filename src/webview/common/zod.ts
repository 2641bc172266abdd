import { z } from 'zod';

// Imported first by every panel page, before any schema exists: zod compiles its parsers with
// `new Function` unless told not to, and the panels' policy has no 'unsafe-eval' (even zod's
// caught probe would be reported as a policy violation).
z.config({ jitless: true });
