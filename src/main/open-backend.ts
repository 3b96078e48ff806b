// The backend the configuration names: several Hermes hosts by name (HERMES_HOSTS), one Hermes
// host's dashboard (HERMES_URL + HERMES_TOKEN), else this machine's Hermes home with the installer
// found at start-up — and beside any of them a CommonGround project (COMMONGROUND_URL), the targets
// then named (`box:`, `hermes:` or `local:`, and `cg:`) and picked per chat.
import type { Setup } from "./load-setup.ts";
import { DashboardClient } from "../app/hermes/dashboard-client.ts";
import { DashboardInstallExecutor } from "../app/install/dashboard-install-executor.ts";
import { installCommandFor } from "../app/install/install-command-template.ts";
import { LocalInstallExecutor } from "../app/install/local-install-executor.ts";
import { DashboardBackend } from "../app/backend/dashboard-backend.ts";
import { HostRouter } from "../app/backend/host-router.ts";
import { CommonGroundBackend } from "../app/backend/commonground-backend.ts";
import { CommonGroundClient } from "../app/commonground/cg-client.ts";
import { LocalBackend } from "../app/backend/local-backend.ts";
import type { ProfileBackend } from "../app/ports/profile-backend.ts";

export function openBackend(setup: Setup): ProfileBackend {
  const hermes = openHermes(setup);
  const cg = setup.config.commonground;
  if (!cg) return hermes;
  const commonground = new CommonGroundBackend({
    client: new CommonGroundClient({
      url: cg.url,
      project: cg.project,
      ...(cg.token ? { token: cg.token } : {}),
      secrets: setup.secrets,
    }),
    workerTarget: cg.workerTarget,
    label: cg.name,
  });
  const targets = new Map<string, ProfileBackend>(
    hermes instanceof HostRouter
      ? hermes.targets()
      : [[setup.config.remoteHermes ? "hermes" : "local", hermes]],
  );
  targets.set(cg.name, commonground);
  return new HostRouter(targets);
}

function openHermes(setup: Setup): ProfileBackend {
  const { config, library } = setup;
  if (config.hermesHosts) {
    const hosts = new Map<string, ProfileBackend>();
    for (const host of config.hermesHosts) {
      const client = new DashboardClient({ ...host, secrets: setup.secrets });
      hosts.set(
        host.name,
        new DashboardBackend({
          client,
          library,
          label: host.name,
          refPrefix: `${host.name}:`,
          installs: new DashboardInstallExecutor(client),
        }),
      );
    }
    return new HostRouter(hosts);
  }
  if (config.remoteHermes) {
    const client = new DashboardClient({ ...config.remoteHermes, secrets: setup.secrets });
    return new DashboardBackend({ client, library, installs: new DashboardInstallExecutor(client) });
  }
  return new LocalBackend({
    hermesHome: config.hermesHome,
    profilesRoot: config.profilesRoot,
    library,
    installs: new LocalInstallExecutor(
      installCommandFor(config, setup.hermes),
      config.profilesRoot,
      setup.env,
    ),
  });
}
