/**
 * How Porthole's browser tests and benchmark launch Debian's Chromium: never a downloaded browser, and with
 * the background services off (on a machine without internet they fail and retry at every start).
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium 156 builds its omnibox popup as a web page (WebUI) in every new window, about 0.3–0.8 s of CPU per
  // browser context on this machine, spent just when a test or the benchmark opens its page. Headless, no one
  // ever sees that popup.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
];
