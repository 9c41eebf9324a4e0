# tiergate in a container: a static (musl) build of this repository, in a small final
# image that runs as an unprivileged user. Build and use (docs/src/install.md):
#
#   docker build -t tiergate .
#   docker run --rm -v "$PWD:/repo" tiergate check --base origin/main
#
# The repository is mounted at /repo, the working directory.

FROM rust:1-alpine AS build
# The C parts (libgit2, mimalloc) are compiled against musl.
RUN apk add --no-cache build-base
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin tiergate \
    && cp target/release/tiergate /tiergate \
    && /tiergate --version

FROM alpine:3.22
# tiergate asks git for some answers (attributes, blobs); certificates for nothing
# else: tiergate makes no network calls.
RUN apk add --no-cache git \
    && adduser -D -H -u 10001 tiergate \
    # A repository mounted from the host belongs to another user; git refuses such a
    # repository unless it is declared safe. The container reads only what is mounted.
    && git config --system --add safe.directory '*'
COPY --from=build /tiergate /usr/local/bin/tiergate
USER 10001:10001
WORKDIR /repo
ENTRYPOINT ["tiergate"]
CMD ["--help"]
