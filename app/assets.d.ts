// The classic Remix compiler turns a stylesheet import into its hashed URL. vite/client (in
// tsconfig "types") declares `*.css` as a side-effect-only module, so name ours explicitly.
declare module "~/styles/app.css" {
  const href: string;
  export default href;
}
declare module "~/styles/embed.css" {
  const href: string;
  export default href;
}
declare module "~/styles/print.css" {
  const href: string;
  export default href;
}
declare module "~/styles/reports.css" {
  const href: string;
  export default href;
}
