// Scorecard's behaviour, loaded as a file so the CSP can forbid inline scripts.
"use strict";
