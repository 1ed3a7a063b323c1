package io.natsboot.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.natsboot.task.TaskHandlerEndpoint;
import io.natsboot.task.TaskOptions;
import io.natsboot.task.TaskQueueSettings;
import io.natsboot.task.TaskRetryPolicy;
import io.natsboot.task.TaskWorkerRegistry;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link TaskHandler} methods on beans and, once all singletons exist, registers
 * them with the {@link TaskWorkerRegistry}, with {@code ${...}} placeholders resolved and
 * unset attributes taken from {@code nats.task-queue.*}. A bad declaration fails start-up
 * naming the bean and method.
 */
public class TaskHandlerAnnotationBeanPostProcessor extends AbstractNatsAnnotationBeanPostProcessor<TaskHandler> {

	private final List<Found> found = new ArrayList<>();

	/**
	 * Creates the post-processor; attributes may hold placeholders.
	 */
	public TaskHandlerAnnotationBeanPostProcessor() {
		super(TaskHandler.class, false);
	}

	@Override
	protected Set<TaskHandler> findAnnotations(Method method) {
		TaskHandler handler = AnnotatedElementUtils.findMergedAnnotation(method, TaskHandler.class);
		return (handler != null) ? Set.of(handler) : Set.of();
	}

	@Override
	protected void processAnnotation(TaskHandler handler, Method method, Object bean, String beanName) {
		synchronized (this.found) {
			this.found.add(new Found(bean, method, beanName, handler));
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Found> handlers;
		synchronized (this.found) {
			handlers = List.copyOf(this.found);
			this.found.clear();
		}
		ConfigurableListableBeanFactory factory = getBeanFactory();
		if (handlers.isEmpty() || factory == null) {
			return;
		}
		if (factory.getBeanNamesForType(TaskWorkerRegistry.class).length == 0) {
			Found first = handlers.get(0);
			throw new BeanInitializationException(describe(first.method, first.beanName)
					+ " needs the task queue, which is off (nats.task-queue.enabled=false)");
		}
		TaskWorkerRegistry registry = factory.getBean(TaskWorkerRegistry.class);
		TaskQueueSettings settings = factory.getBean(TaskQueueSettings.class);
		for (Found handler : handlers) {
			registry.register(endpoint(handler, settings));
		}
	}

	private TaskHandlerEndpoint endpoint(Found found, TaskQueueSettings settings) {
		TaskHandler annotation = found.annotation;
		String where = describe(found.method, found.beanName);
		try {
			TaskRetryPolicy defaults = settings.retry();
			TaskRetryPolicy retry = new TaskRetryPolicy(
					integer(annotation.maxAttempts(), "maxAttempts", defaults.maxAttempts()),
					duration(annotation.initialInterval(), "initialInterval", defaults.initialInterval()),
					decimal(annotation.multiplier(), "multiplier", defaults.multiplier()),
					duration(annotation.maxInterval(), "maxInterval", defaults.maxInterval()), defaults.jitter());
			String timeout = resolve(annotation.timeout());
			if (StringUtils.hasText(timeout)
					&& duration(timeout, "timeout", Duration.ZERO).compareTo(Duration.ZERO) <= 0) {
				throw new IllegalArgumentException("timeout '" + timeout + "' must be positive");
			}
			String queue = resolve(annotation.queue());
			return new TaskHandlerEndpoint(resolve(annotation.value()),
					StringUtils.hasText(queue) ? queue.trim() : TaskOptions.DEFAULT_QUEUE, found.bean, found.method,
					found.beanName, integer(annotation.concurrency(), "concurrency", settings.concurrency()), retry,
					StringUtils.hasText(timeout) ? duration(timeout, "timeout", Duration.ZERO) : null);
		}
		catch (RuntimeException ex) {
			throw new BeanInitializationException(
					ex.getMessage().startsWith("@TaskHandler") ? ex.getMessage() : where + ": " + ex.getMessage(), ex);
		}
	}

	private int integer(String value, String attribute, int fallback) {
		Integer resolved = integer(value, attribute);
		return (resolved != null) ? resolved : fallback;
	}

	private double decimal(String value, String attribute, double fallback) {
		Double resolved = decimal(value, attribute);
		return (resolved != null) ? resolved : fallback;
	}

	private Duration duration(String value, String attribute, Duration fallback) {
		Duration resolved = duration(value, attribute);
		return (resolved != null) ? resolved : fallback;
	}

	private record Found(Object bean, Method method, String beanName, TaskHandler annotation) {
	}

}
