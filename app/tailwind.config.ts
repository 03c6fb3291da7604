import type { Config } from "tailwindcss";
import colors from "tailwindcss/colors";
import plugin from "tailwindcss/plugin";

const HUES = [
  "slate",
  "gray",
  "zinc",
  "neutral",
  "stone",
  "red",
  "orange",
  "amber",
  "yellow",
  "lime",
  "green",
  "emerald",
  "teal",
  "cyan",
  "sky",
  "blue",
  "indigo",
  "violet",
  "purple",
  "fuchsia",
  "pink",
  "rose",
] as const;
const SHADES = ["50", "100", "200", "300", "400", "500", "600", "700", "800", "900", "950"] as const;
type Shade = (typeof SHADES)[number];

/**
 * The dark scheme mirrors each palette: a pale background becomes a deep one and dark text becomes
 * light, so every `bg-red-50 text-red-900` pairing keeps its contrast without a `dark:` class on
 * each element. Mid shades lean light, because text in 500–600 must still reach 4.5:1 on the
 * darkest backgrounds (WCAG 1.4.3).
 */
const DARK_SHADE: Record<Shade, Shade> = {
  "50": "950",
  "100": "800",
  "200": "800",
  "300": "700",
  "400": "600",
  "500": "400",
  "600": "400",
  "700": "300",
  "800": "200",
  "900": "100",
  "950": "50",
};
/** White is the card and field surface in the light scheme, and text on strong colours. */
const WHITE = { light: "#ffffff", dark: colors.slate[900] };

const channels = (hex: string) => [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16)).join(" ");

function variables(scheme: "light" | "dark") {
  const entries: Array<[string, string]> = [["--white", channels(WHITE[scheme])]];
  for (const hue of HUES)
    for (const shade of SHADES)
      entries.push([`--${hue}-${shade}`, channels(colors[hue][scheme === "light" ? shade : DARK_SHADE[shade]])]);
  return Object.fromEntries(entries);
}

const themed = (name: string) => `rgb(var(--${name}) / <alpha-value>)`;

export default {
  content: ["./app/**/*.{ts,tsx}"],
  // Dark mode follows the system setting; printing always uses the light scheme.
  darkMode: "media",
  theme: {
    colors: {
      transparent: "transparent",
      current: "currentColor",
      inherit: "inherit",
      black: colors.black,
      white: themed("white"),
      ...Object.fromEntries(
        HUES.map((hue) => [hue, Object.fromEntries(SHADES.map((shade) => [shade, themed(`${hue}-${shade}`)]))]),
      ),
    },
    extend: {},
  },
  plugins: [
    plugin(({ addBase }) =>
      addBase({
        ":root": variables("light"),
        "@media screen and (prefers-color-scheme: dark)": {
          ":root": { colorScheme: "dark", ...variables("dark") },
          // The header is dark navy in both schemes.
          ".scheme-light": { colorScheme: "light", ...variables("light") },
        },
      }),
    ),
  ],
} satisfies Config;
