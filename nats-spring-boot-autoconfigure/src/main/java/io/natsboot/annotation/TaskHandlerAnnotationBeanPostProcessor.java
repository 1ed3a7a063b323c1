package io.natsboot.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.natsboot.core.AnnotationValueResolver;
import io.natsboot.task.TaskHandlerEndpoint;
import io.natsboot.task.TaskOptions;
import io.natsboot.task.TaskQueueSettings;
import io.natsboot.task.TaskRetryPolicy;
import io.natsboot.task.TaskWorkerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link TaskHandler} methods on beans and, once all singletons exist, registers them with
 * the {@link TaskWorkerRegistry}, with {@code ${...}} placeholders resolved and unset attributes
 * taken from {@code nats.task-queue.*}. A bad declaration fails start-up naming the bean and
 * method.
 */
public class TaskHandlerAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	private final Set<Class<?>> classesWithoutHandlers = ConcurrentHashMap.newKeySet();

	private final List<Found> found = new ArrayList<>();

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private AnnotationValueResolver values = new AnnotationValueResolver(null, false);

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
			this.values = new AnnotationValueResolver(listable, false);
		}
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutHandlers.contains(targetClass)) {
			return bean;
		}
		Map<Method, TaskHandler> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<TaskHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, TaskHandler.class));
		if (annotated.isEmpty()) {
			this.classesWithoutHandlers.add(targetClass);
			return bean;
		}
		synchronized (this.found) {
			annotated.forEach((method, handler) -> this.found
				.add(new Found(bean, AopUtils.selectInvocableMethod(method, bean.getClass()), beanName, handler)));
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Found> handlers;
		synchronized (this.found) {
			handlers = List.copyOf(this.found);
			this.found.clear();
		}
		if (handlers.isEmpty() || this.beanFactory == null) {
			return;
		}
		ConfigurableListableBeanFactory factory = this.beanFactory;
		if (factory.getBeanNamesForType(TaskWorkerRegistry.class).length == 0) {
			Found first = handlers.get(0);
			throw new BeanInitializationException("@TaskHandler method '" + first.method.getName() + "' of bean '"
					+ first.beanName + "' needs the task queue, which is off (nats.task-queue.enabled=false)");
		}
		TaskWorkerRegistry registry = factory.getBean(TaskWorkerRegistry.class);
		TaskQueueSettings settings = factory.getBean(TaskQueueSettings.class);
		for (Found handler : handlers) {
			registry.register(endpoint(handler, settings));
		}
	}

	private TaskHandlerEndpoint endpoint(Found found, TaskQueueSettings settings) {
		TaskHandler annotation = found.annotation;
		String where = "@TaskHandler method '" + found.method.getName() + "' of bean '" + found.beanName + "'";
		try {
			TaskRetryPolicy defaults = settings.retry();
			TaskRetryPolicy retry = new TaskRetryPolicy(
					integer(annotation.maxAttempts(), "maxAttempts", defaults.maxAttempts()),
					duration(annotation.initialInterval(), "initialInterval", defaults.initialInterval()),
					decimal(annotation.multiplier(), "multiplier", defaults.multiplier()),
					duration(annotation.maxInterval(), "maxInterval", defaults.maxInterval()), defaults.jitter());
			String timeout = resolve(annotation.timeout());
			if (StringUtils.hasText(timeout) && duration(timeout, "timeout", Duration.ZERO).compareTo(Duration.ZERO) <= 0) {
				throw new IllegalArgumentException("timeout '" + timeout + "' must be positive");
			}
			String queue = resolve(annotation.queue());
			return new TaskHandlerEndpoint(resolve(annotation.value()),
					StringUtils.hasText(queue) ? queue.trim() : TaskOptions.DEFAULT_QUEUE, found.bean, found.method,
					found.beanName, integer(annotation.concurrency(), "concurrency", settings.concurrency()), retry,
					StringUtils.hasText(timeout) ? duration(timeout, "timeout", Duration.ZERO) : null);
		}
		catch (RuntimeException ex) {
			throw new BeanInitializationException(ex.getMessage().startsWith("@TaskHandler") ? ex.getMessage()
					: where + ": " + ex.getMessage(), ex);
		}
	}

	private int integer(String value, String attribute, int fallback) {
		Integer resolved = this.values.integer(value, attribute);
		return (resolved != null) ? resolved : fallback;
	}

	private double decimal(String value, String attribute, double fallback) {
		Double resolved = this.values.decimal(value, attribute);
		return (resolved != null) ? resolved : fallback;
	}

	private Duration duration(String value, String attribute, Duration fallback) {
		Duration resolved = this.values.duration(value, attribute);
		return (resolved != null) ? resolved : fallback;
	}

	private String resolve(String value) {
		return this.values.resolve(value);
	}

	private record Found(Object bean, Method method, String beanName, TaskHandler annotation) {
	}

}
