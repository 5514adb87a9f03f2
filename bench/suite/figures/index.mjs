// The figures, in the order they run and appear in docs/BENCHMARKS.md.

import { consoleOverhead } from './console.mjs';
import { memory } from './memory.mjs';
import { micro } from './micro.mjs';
import { sizes } from './sizes.mjs';
import { soak } from './soak.mjs';
import { startup } from './startup.mjs';
import { storm } from './storm.mjs';
import { viewer } from './viewer.mjs';

export const FIGURES = [
  { id: 'startup', title: '1. Start-up to the first meaningful paint', run: startup },
  { id: 'memory', title: '2. Idle memory', run: memory },
  { id: 'console', title: '3. Console overhead', run: consoleOverhead },
  { id: 'storm', title: '4. Refresh storm', run: storm },
  { id: 'viewer', title: '5. A 10 MB JSON response in the window', run: viewer },
  { id: 'sizes', title: '6. Sizes', run: sizes },
  { id: 'micro', title: '7. Micro-benchmarks', run: micro },
  { id: 'soak', title: '8. Soak', run: soak },
];
