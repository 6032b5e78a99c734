#pragma once
// `evtwin serve --help`: the server's usage (kept apart from serve_command.cpp, which parses it).

namespace evtwin::cli {

inline constexpr const char* kServeHelp = R"(usage: evtwin serve [options]
       evtwin serve add-charge-point --passwords FILE --id CP_ID < password

Serves the planning API (POST /v1/plans: a site and its vehicles in, each vehicle's OCPP charging
schedule, the site's profile, KPIs, the baseline's plan and a recommendation out), Prometheus metrics
and the planner page (docs/serve.md). Plans and their runs go to the results database.

options:
  --listen HOST:PORT        address to listen on; default 127.0.0.1:8080 (port 0: any free port)
  --tls-cert FILE           TLS (1.2 or later) on every connection, plain ones refused: the
  --tls-key FILE            server's certificate chain and its private key (PEM files)
  --db FILE                 results database of the plans; default plans.db
  --token-file FILE         the API's bearer token (mode 0600); default: FILE.token beside --db,
                            generated on first start
  --scenario FILE[,FILE]    sites a request may name ({"site": {"scenario": NAME}}), by scenario name
  -D KEY=VALUE              parameter of those scenarios (repeatable)
  --opt NAME.KEY=VALUE      option strategy NAME gets unless a request gives it (repeatable);
                            plans default to mpc.replan=deviation: a plan made knowing the day's
                            vehicles is followed until reality leaves it (the live strategy gets
                            the scenario's options and these alone, as evtwin run does)
  --data-dir DIR            root of the scenarios' data() paths
  --web DIR                 the planner page's files; default: the installed or source web/ folder
  --results DB[,DB]         also serve these results databases, read-only: GET /v1/results/...
                            and the results page (/runs.html)
  --drivers-model FILE      GET /v1/drivers/{id}/next: a driver's next charge by this model (docs/drivers.md),
                            from --drivers-history FILE (sessions by driver), or in live mode its own sessions
  --threads N               worker threads (at most 1024); default: the machine's cores, at least 2
  --max-body BYTES          largest request body (at most 1 GiB); default 1048576
  --max-vehicles N          most vehicles per plan (at most 1000000); default 500
  --max-horizon-h H         longest plan (at most 8784 h); default 168
  --max-connections N       HTTP connections at once (at most 65536); default 512
  --max-per-address N       of those, from one client address; default 32 (behind a reverse
                            proxy every client has the proxy's address: see docs/serve.md)
  --access-log FILE         one JSON line per request, and per connection refused or ended by the
                            server (with its reason); default: standard error

live mode (docs/live.md): with --strategy, the server is also the OCPP central system of the one
--scenario's site: charge points connect to ws://HOST:PORT/ocpp/{id} (ocpp1.6 or ocpp2.0.1), the
strategy decides every control period on the live state, its limits go out as charging profiles,
and the run is written to --db as it happens (frames also to DB.ocpp.jsonl). It ends at the
scenario's end on the live clock, or at SIGINT/SIGTERM.
  --strategy NAME           the site's strategy (a name or a plugin path)
  --clock real|fast:N|step  the live clock: the wall clock, N times faster from the scenario's
                            start (demos), or held at its start and moved by POST /v1/clock
                            (tests that drive the site instant by instant); default real
  --passwords FILE          charge points must authenticate (HTTP Basic) with a password of FILE
  --schemas DIR             the OCPP JSON schemas (v16/, v201/); default ../shared/data/ocpp/schemas
  --observation-log FILE    one JSON line per decision: its instant, the whole Observation the
                            strategy received and the Decision it answered (as `evtwin run`'s)

SIGINT or SIGTERM stops the server after the requests in flight are answered.
exit codes: 0 stopped, 1 failure, 2 usage, 3 bad scenario

add-charge-point stores the password of charge point CP_ID, the first line of standard input (16-40
printable ASCII characters), hashed in FILE (PBKDF2-SHA256; created with mode 0600 when missing),
replacing CP_ID's password if it had one. Exit codes: 0 stored, 2 usage or bad password, 3 bad FILE.
)";
}  // namespace evtwin::cli
