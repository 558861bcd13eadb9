/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Registry access happens only in route handlers and server components; undici stays a Node dependency.
  serverExternalPackages: ['undici'],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
