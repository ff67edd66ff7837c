import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./db/schema.ts", "./db/schema-gateway.ts", "./db/schema-probes.ts", "./db/schema-programs.ts", "./db/schema-alerts.ts"],
  out: "./db/migrations",
});
