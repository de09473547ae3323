# Production image: the same code for web, worker and beat.
FROM node:22-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .
COPY --from=frontend /app/node_modules ./node_modules
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --home /app helpdesk && mkdir -p /data/media && chown helpdesk /data/media
USER helpdesk
EXPOSE 8000
CMD ["python", "-m", "uvicorn", "helpdesk.asgi:application", "--host", "0.0.0.0", "--port", "8000"]
