// Hermes plugins this project ships (library/hermes-plugins/<name>/) and a blueprint may name under
// `plugins:`. Each is installed into the profile's own plugins folder and enabled in its config.yaml.
import { z } from "zod";

export const SHIPPED_PLUGINS = ["personas"] as const;
export type ShippedPlugin = (typeof SHIPPED_PLUGINS)[number];

/** The toolset the personas plugin's tools belong to (Hermes enables a plugin toolset by default). */
export const PERSONAS_TOOLSET = "personas";

const LIST_MESSAGE = `a list of plugin names, e.g. plugins: [${SHIPPED_PLUGINS.join(", ")}]`;

export const pluginListSchema = z
  .array(
    z.string({ error: LIST_MESSAGE }).transform((raw, ctx) => {
      const name = raw.trim().toLowerCase();
      const known = SHIPPED_PLUGINS.find((plugin) => plugin === name);
      if (known) return known;
      ctx.addIssue({
        code: "custom",
        message: `unknown plugin '${raw.slice(0, 64)}'; this bot ships: ${SHIPPED_PLUGINS.join(", ")}`,
      });
      return z.NEVER;
    }),
    { error: LIST_MESSAGE },
  )
  // Each name is a shipped plugin's, so after this a list holds at most those (the file's 1 MiB bounds the rest).
  .transform((names) => [...new Set(names)]);
