"""Parts of `benchmarks.server`: starting our server (launch), the HTTP read load (http_load,
async_load), takes and their jobs (takes), and a process that holds many SSE streams (sse_hold).
The load parts only speak the public API, so they can be pointed at any YouSync-compatible server."""
