/** The HTTP methods the registry client sends (its own file: the transport and its slots both need it). */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
