// Hermes plugins this project ships (library/hermes-plugins/<name>/) and a blueprint may name under
// `plugins:`. Each is installed into the profile's own plugins folder and enabled in its config.yaml.
import { z } from "zod";

export const SHIPPED_PLUGINS = ["personas"] as const;
export type ShippedPlugin = (typeof SHIPPED_PLUGINS)[number];

/** The toolset the personas plugin's tools belong to (Hermes enables a plugin toolset by default). */
export const PERSONAS_TOOLSET = "personas";

export const pluginListSchema = z
  .array(
    z.string().transform((raw, ctx) => {
      const name = raw.trim().toLowerCase();
      const known = SHIPPED_PLUGINS.find((plugin) => plugin === name);
      if (known) return known;
      ctx.addIssue({
        code: "custom",
        message: `unknown plugin '${raw.slice(0, 64)}'; this bot ships: ${SHIPPED_PLUGINS.join(", ")}`,
      });
      return z.NEVER;
    }),
  )
  .max(SHIPPED_PLUGINS.length * 2)
  .transform((names) => [...new Set(names)]);
