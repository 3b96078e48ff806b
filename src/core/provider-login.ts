// Providers one signs in to (OAuth) rather than giving a key: the bot cannot run a browser or device
// sign-in from a chat, so it makes the profile and names the Hermes command that signs it in.
// Hermes 0.19 removed `hermes login`; `hermes auth add <provider> --type oauth`
// (hermes_cli/subcommands/auth.py, auth_commands.py) is its sign-in, per profile with `-p`.
import { hermesProviderId, type ProviderInfo } from "./catalog.ts";

/** The exact command that signs profile `profile` in to `provider`, or undefined when it takes a key. */
export function loginCommand(profile: string, provider: ProviderInfo): string | undefined {
  if (provider.login !== "oauth") return undefined;
  return `hermes -p ${profile} auth add ${hermesProviderId(provider)} --type oauth`;
}

/** What Review and the Create report say about signing in, where the command must run. */
export function loginLines(profile: string, provider: ProviderInfo | undefined, host?: string): string[] {
  const command = provider ? loginCommand(profile, provider) : undefined;
  if (!provider || !command) return [];
  return [
    `Sign-in: ${provider.label} uses OAuth, which the bot cannot do from a chat. After Create, run on ${
      host ? `the Hermes host ${host}` : "the machine Hermes runs on"
    }:`,
    `  ${command}`,
  ];
}
