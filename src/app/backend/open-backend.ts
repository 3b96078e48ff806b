// The backend the configuration names: a Hermes host's dashboard when HERMES_URL and HERMES_TOKEN
// are set, else this machine's Hermes home with the installer found at start-up.
import type { Runtime } from "../bootstrap.ts";
import { DashboardClient } from "../hermes/dashboard-client.ts";
import { DashboardInstallExecutor } from "../install/dashboard-install-executor.ts";
import { installCommandFor } from "../install/install-command-template.ts";
import { LocalInstallExecutor } from "../install/local-install-executor.ts";
import { DashboardBackend } from "./dashboard-backend.ts";
import { LocalBackend } from "./local-backend.ts";
import type { ProfileBackend } from "./profile-backend.ts";

export function openBackend(runtime: Runtime): ProfileBackend {
  const { config, library } = runtime;
  if (config.remoteHermes) {
    const client = new DashboardClient(config.remoteHermes);
    return new DashboardBackend({ client, library, installs: new DashboardInstallExecutor(client) });
  }
  return new LocalBackend({
    hermesHome: config.hermesHome,
    profilesRoot: config.profilesRoot,
    library,
    installs: new LocalInstallExecutor(
      installCommandFor(config, runtime.hermes),
      config.profilesRoot,
      runtime.env,
    ),
  });
}
