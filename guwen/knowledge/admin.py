from django.contrib import admin

from guwen.knowledge.models import Category, CategoryVersion


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(CategoryVersion)
class CategoryVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "effective_from", "note"]
    inlines = [CategoryInline]
