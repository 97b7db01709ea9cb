import type { Plugin } from '../plugin.js';
import { chargen } from './chargen.js';
import { daytime } from './daytime.js';
import { discard } from './discard.js';
import { echo } from './echo.js';
import { portforward } from './portforward.js';
import { time } from './time.js';
import { web } from './web.js';

/** The service plugins woven ships with, in `--help` order. */
export const builtinPlugins: readonly Plugin[] = [
  echo,
  discard,
  chargen,
  daytime,
  time,
  portforward,
  web,
];
