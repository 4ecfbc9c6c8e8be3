/** Builds the dashboard page into `outDir` (index.html and content-hashed assets/). */
export function buildDashboard(
  outDir: string,
): Promise<{ script: string; style: string; scriptBytes: number }>;
