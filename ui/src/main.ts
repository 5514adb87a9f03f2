//! Starts the window: wires the panels, subscribes to Rust's events before anything is
//! fetched (so no change is missed), then restores the last profile and panel from `app_info`.

// First: its own first line marks when the bundle starts running.
import * as startup from './startup';
import * as ipc from './ipc';
import { afterPaint, byId, message } from './dom';
import { initNav, isPanel, panels, showPanel } from './nav';
import { initToast } from './notify';
import * as state from './state';
import { initAccount } from './panels/account';
import { initCatalog } from './panels/catalog';
import { fillFromEndpoint, initConsole } from './panels/console';
import { initCurl } from './panels/curl';
import { initGuard } from './panels/guard';
import { initHistory, showNotice } from './panels/history';
import * as mailers from './panels/mailers';
import * as login from './panels/login';
import { initProfiles } from './panels/profile';
import { initToken } from './panels/token';
import * as accounts from './panels/accounts';
import { initReport } from './panels/report';
import * as timeline from './panels/timeline';
import { initConsoleSplit } from './panels/console-split';
import { initTheme, isThemePref, setTheme } from './theme';
import { initVerdicts } from './verdicts';
import { initDoctor } from './panels/doctor';
import * as firstRun from './panels/firstrun';
import * as setup from './panels/setup';
import * as warmup from './warmup';

// Before anything awaits: the first paint already has the system's light or dark.
initTheme();

async function start(): Promise<void> {
  initToast();
  initVerdicts();
  initNav();
  initProfiles();
  login.initLogin();
  initAccount();
  initToken(() => {
    showPanel('account', { focus: true });
    void login.connect();
  }, () => {
    showPanel('account');
    byId('pat-input').focus();
  });
  initConsole();
  initGuard();
  initCatalog((endpoint) => {
    mailers.close();
    fillFromEndpoint(endpoint);
  });
  mailers.initMailers();
  initCurl(mailers.close);
  initHistory(mailers.close);
  accounts.initAccounts((profile) => {
    void state.selectProfile(profile, true).then(() => {
      showPanel('account', { focus: true });
      void login.connect();
    });
  });
  initReport();
  timeline.initTimeline();
  setup.initSetup();
  firstRun.initFirstRun();
  initDoctor();
  state.currentProfile.subscribe(login.clearOutcome);
  startup.mark('panels wired');

  // Subscribed before anything is fetched, so no change is missed; the five at once, since
  // each is a round trip to Rust and none depends on another.
  await Promise.all([
    ipc.onAuthChanged(login.onAuthChanged),
    ipc.onTokenChanged(state.setStatus),
    // Another process (thanksctl, say) changed a profile: the Accounts view and the timeline follow.
    ipc.onAccountsChanged((panel) => {
      accounts.update(panel);
      void timeline.load();
    }),
    ipc.onNotificationClicked(({ profile }) => {
      void state.selectProfile(profile, true).then(() => showPanel('token', { focus: true }));
    }),
    ipc.onSetupOffered(setup.open),
  ]);

  // The app's settings and the profile list at once; the profile to show needs both.
  const [info, names] = await Promise.all([ipc.appInfo(), state.reloadProfiles()]);
  if (isThemePref(info.theme)) setTheme(info.theme);
  initConsoleSplit(info.console_split);
  state.info.set(info);
  byId('app-version').textContent = `Version ${info.version}`;
  showNotice(info.history_notice ?? null);
  const profile = info.last_profile && names.includes(info.last_profile) ? info.last_profile : names.includes('default') ? 'default' : names[0];
  showPanel(isPanel(info.last_panel) ? info.last_panel : 'account', { remember: false });
  state.startStatusClock();
  await state.selectProfile(profile ?? 'default', false);
  // No profile yet: the first-run screen instead of the panels.
  firstRun.render(names);
  startup.mark('state shown');
  // The profile and its state (or the first-run screen) are on screen once this frame is
  // drawn: the first meaningful paint, logged by Rust (and timed by the start-up benchmark).
  // The frame's own mark splits waiting for it from its rendering in the timeline.
  void afterPaint(() => startup.mark('frame')).then((at) => ipc.appPainted(at, startup.finish()));
  // Linux: the fonts the other panels and the first answer will need, made while idle; not
  // before the first paint is on the screen (under Xvfb up to ~250 ms after the page drew it)
  // and the start's own follow-ups (the console's lists) are done.
  if (warmup.wanted()) void startup.painted.then(() => warmup.warmFonts(panels().map((p) => byId(`panel-${p}`)), 1000));
  // Launched by a setup link or a double-clicked setup file (cold start).
  const offered = await ipc.setupPending();
  if (offered) setup.open(offered);
  // Launched by the sign-in link itself (cold start): the login finished while the page loaded.
  const early = info.last_auth;
  if (early) {
    if (early.profile && names.includes(early.profile) && early.profile !== state.currentProfile.value) {
      await state.selectProfile(early.profile, true);
    }
    login.onAuthChanged(early);
  }
}

start().catch((e: unknown) => {
  // What waits for the first paint (the console's lists) needn't wait for a window that failed.
  startup.finish();
  message(byId('fatal'), `Thanks Connect could not start its window: ${ipc.errorText(e)}`, 'error');
});
