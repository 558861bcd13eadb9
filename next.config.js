/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Registry access happens only in route handlers and server components; undici stays a Node dependency.
  serverExternalPackages: ['undici', 'ioredis'],
  typescript: { ignoreBuildErrors: false },
  // Registry clients call `/v2/` and `/v2/<name>/blobs/uploads/` with the trailing slash; a redirect would break
  // them (a POST body is not re-sent, `/v2/` must answer 200 or 401). Pages match with or without it anyway.
  skipTrailingSlashRedirect: true,
};

export default nextConfig;
