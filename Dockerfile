# syntax=docker/dockerfile:1
# One image with both programs of the cluster: the node (src/ActorScheduler.Node, assembly actor-scheduler; takes
# any set of roles) and the lighthouse (lighthouse/, the seed node). Each service of docker-compose.cluster.yml
# picks its program with `command:`; without one the image runs the node.
#   docker build -t actor-scheduler:local .
#   docker run --rm actor-scheduler:local dotnet /app/lighthouse/lighthouse.dll

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY hocon/ hocon/
COPY src/ src/
COPY lighthouse/ lighthouse/
# The cache mount keeps downloaded packages between builds, so a source change does not fetch them again.
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish src/ActorScheduler.Node/ActorScheduler.Node.csproj -c Release -o /app/node \
 && dotnet publish lighthouse/ActorScheduler.Lighthouse.csproj -c Release -o /app/lighthouse

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app/node /app/node
COPY --from=build /app/lighthouse /app/lighthouse
# The node's local state (data-directory) lives in /data, writable by the image's unprivileged user.
RUN mkdir /data && chown "$APP_UID" /data
ENV ACTORSCHEDULER__DATA_DIRECTORY=/data
USER $APP_UID
# Cluster transport (CLUSTER_PORT, 4053 and up in the compose file) and the gateway's HTTP API.
EXPOSE 4053 5080
CMD ["dotnet", "/app/node/actor-scheduler.dll"]
