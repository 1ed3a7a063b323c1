package io.natsboot.jetstream;

import java.util.List;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ServerInfo;
import io.natsboot.core.NatsJetStreamException;
import org.jspecify.annotations.Nullable;

/**
 * Explains a server's refusal to create or update a stream (or a key-value bucket's
 * stream) with more replicas than the cluster has servers: JetStream answers only "no
 * suitable peers for placement", "insufficient resources" or "replicas > 1 not supported
 * in non-clustered mode", which names neither the stream, the replicas asked for, nor the
 * property to change.
 */
public final class ReplicaRefusal {

	private ReplicaRefusal() {
	}

	/**
	 * A clear exception for a refused stream when it asked for more replicas than there
	 * are servers, else null.
	 * @param connection the connection (its server tells the cluster)
	 * @param stream the stream's name
	 * @param replicas the replicas asked for
	 * @param property the property that sets them
	 * @param refusal the server's answer
	 * @return the exception to throw instead, or null when the refusal has another reason
	 */
	public static @Nullable NatsJetStreamException explain(Connection connection, String stream, int replicas,
			String property, JetStreamApiException refusal) {
		int servers = clusterSize(connection);
		int code = refusal.getApiErrorCode();
		boolean tooMany = code == JetStreamErrors.REPLICAS_NOT_SUPPORTED
				|| ((code == JetStreamErrors.INSUFFICIENT_RESOURCES || code == JetStreamErrors.NO_SUITABLE_PEERS)
						&& replicas > 1 && replicas > servers);
		if (!tooMany) {
			return null;
		}
		ServerInfo info = connection.getServerInfo();
		String cluster = (info != null && info.getCluster() != null) ? "cluster '" + info.getCluster() + "'" : "server";
		return new NatsJetStreamException(
				"Stream '" + stream + "' cannot have " + replicas + " replicas: the " + cluster + " has " + servers
						+ ((servers == 1) ? " server" : " servers") + " available (" + refusal.getErrorDescription()
						+ "); set " + property + " to at most the cluster's size, or bring its servers back",
				refusal.getApiErrorCode(), refusal);
	}

	/**
	 * How many servers of the connected cluster are up, as they announce their client
	 * URLs (a server that is down, or one configured with {@code no_advertise}, is not
	 * counted).
	 * @param connection the connection
	 * @return 1 for a server outside a cluster
	 */
	static int clusterSize(Connection connection) {
		ServerInfo info = connection.getServerInfo();
		if (info == null || info.getCluster() == null) {
			return 1;
		}
		List<String> urls = info.getConnectURLs();
		return (urls == null || urls.isEmpty()) ? 1 : urls.size();
	}

}
